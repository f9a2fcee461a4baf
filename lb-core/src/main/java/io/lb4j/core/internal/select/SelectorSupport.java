package io.lb4j.core.internal.select;

import io.lb4j.core.Candidates;
import io.lb4j.core.NoEndpointAvailableException.Reason;
import io.lb4j.core.NoEndpointAvailableException;
import io.lb4j.core.PickContext;

/** Exclusion handling shared by every selector. */
public final class SelectorSupport {
  private SelectorSupport() {}

  /**
   * {@code preferred} if the context does not exclude it, else the next index after it (wrapping)
   * that is not excluded. Allocation-free; O(1) when nothing is excluded.
   *
   * @throws NoEndpointAvailableException if there are no candidates or all are excluded
   */
  public static int firstAllowedFrom(Candidates candidates, PickContext context, int preferred) {
    if (context.excludedCount() == 0 || !context.isExcluded(candidates.endpoint(preferred))) {
      return preferred;
    }
    int n = candidates.size();
    for (int step = 1; step < n; step++) {
      int index = preferred + step;
      if (index >= n) {
        index -= n;
      }
      if (!context.isExcluded(candidates.endpoint(index))) {
        return index;
      }
    }
    throw noneAvailable(candidates, context);
  }

  /** Whether the context excludes candidate {@code index}; O(1) when nothing is excluded. */
  public static boolean isExcluded(PickContext context, Candidates candidates, int index) {
    return context.excludedCount() != 0 && context.isExcluded(candidates.endpoint(index));
  }

  /** Throws the right {@link NoEndpointAvailableException} if {@code candidates} is empty. */
  public static void requireNonEmpty(Candidates candidates, PickContext context) {
    if (candidates.isEmpty()) {
      throw noneAvailable(candidates, context);
    }
  }

  /** The exception for a pick that found nothing: the list was empty, or all were excluded. */
  public static NoEndpointAvailableException noneAvailable(Candidates candidates, PickContext context) {
    if (candidates.isEmpty()) {
      return new NoEndpointAvailableException(Reason.EMPTY_LIST, "no endpoint to pick from: the candidate list is empty");
    }
    return new NoEndpointAvailableException(Reason.ALL_EXCLUDED,
        "all " + candidates.size() + " candidates are excluded by " + context);
  }
}
