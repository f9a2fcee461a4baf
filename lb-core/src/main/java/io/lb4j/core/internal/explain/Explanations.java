package io.lb4j.core.internal.explain;

import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import io.lb4j.core.internal.explain.Explainable.Decision;
import io.lb4j.core.internal.select.SelectorSupport;
import java.util.Locale;

/** Sentences shared by the selectors' {@link Explainable#explain} implementations. */
public final class Explanations {
  private Explanations() {}

  public static String id(Candidates candidates, int index) {
    return candidates.endpoint(index).id();
  }

  /** A duration in nanoseconds as milliseconds with one decimal, e.g. "4.1 ms". */
  public static String millis(double nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }

  public static String number(double value) {
    return String.format(Locale.ROOT, "%.3g", value);
  }

  /**
   * The decision of a selector that prefers {@code preferred} by {@code rule} and, if the context
   * excludes it, moves on to the next allowed candidate ({@link SelectorSupport#firstAllowedFrom}).
   */
  public static Decision preferring(Candidates candidates, PickContext context, int preferred, String rule) {
    int chosen = SelectorSupport.firstAllowedFrom(candidates, context, preferred);
    if (chosen == preferred) {
      return new Decision(chosen, rule + " -> " + id(candidates, chosen));
    }
    return new Decision(chosen, rule + " -> " + id(candidates, preferred)
        + ", excluded by the call (already tried), so the next allowed candidate: "
        + id(candidates, chosen));
  }

  /**
   * The decision of a hash selector, whose pick is a pure function of the key: the pick itself,
   * described by {@code how} the key maps to an endpoint, and, when the context's exclusions moved
   * it, the endpoint the key maps to without them.
   */
  public static Decision byKey(Selector selector, PickContext context, String name, String how) {
    Candidates candidates = selector.candidates();
    if (!context.hasHashKey()) {
      int chosen = selector.selectIndex(context);
      return new Decision(chosen, name + ": no hash key set, so a random key -> "
          + id(candidates, chosen));
    }
    int chosen = selector.selectIndex(context);
    String rule = name + ": key hash " + String.format("%016x", context.hashKey()) + " " + how;
    int owner = selector.selectIndex(PickContext.create().hashKey(context.hashKey()));
    if (owner == chosen) {
      return new Decision(chosen, rule + " -> " + id(candidates, chosen));
    }
    return new Decision(chosen, rule + " -> " + id(candidates, owner) + ", excluded by the call "
        + "(already tried), so the next allowed owner: " + id(candidates, chosen));
  }
}
