package io.lb4j.core;

/**
 * One load-balancing algorithm applied to one frozen set of {@link Candidates}: picks the endpoint
 * for a call. Built by an {@link Algorithm} whenever membership or health changes, then used for
 * every pick until the next change.
 *
 * <p>Every implementation is immutable apart from per-pick atomics, thread-safe, takes no lock and
 * allocates nothing in {@link #selectIndex}. It never returns an endpoint the context excludes
 * while another candidate exists, and never returns null.
 */
public interface Selector {

  /** The candidates this selector chooses among. */
  Candidates candidates();

  /**
   * Picks a candidate for the call described by {@code context}.
   *
   * @return an index into {@link #candidates()}
   * @throws NoEndpointAvailableException if there is no candidate, or all are excluded
   */
  int selectIndex(PickContext context);

  /** Picks a candidate; see {@link #selectIndex}. */
  default Endpoint select(PickContext context) {
    return candidates().endpoint(selectIndex(context));
  }
}
