package io.lb4j.core.internal.select;

import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.RandomSource;
import io.lb4j.core.internal.explain.Explainable;
import io.lb4j.core.internal.explain.Explanations;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;

/**
 * The power of two choices, shared by the selectors that differ only in their load metric: draw two
 * distinct candidates uniformly at random and keep the less loaded one. Allocation-free, O(1) plus
 * the exclusion checks.
 *
 * <p>Source: M. Mitzenmacher, "The Power of Two Choices in Randomized Load Balancing", IEEE TPDS
 * 12(10), 2001; the unbiased distinct draw is Finagle's {@code P2CPick}.
 */
final class TwoChoices {
  private TwoChoices() {}

  /**
   * Picks the less loaded of two distinct random candidates; a tie keeps the first draw. With one
   * candidate, that one. If one of the two is excluded, the other; if both are, the next candidate
   * after the first draw that is not excluded, so an excluded candidate is never returned while
   * another exists.
   *
   * @param duel picks the winner of the two draws when neither is excluded
   */
  static int select(Candidates candidates, PickContext context, Duel duel) {
    SelectorSupport.requireNonEmpty(candidates, context);
    int n = candidates.size();
    if (n == 1) {
      return SelectorSupport.firstAllowedFrom(candidates, context, 0);
    }
    RandomSource random = candidates.random();
    int a = random.nextInt(n);
    int b = secondDraw(random, n, a);
    if (context.excludedCount() > 0) {
      boolean aExcluded = context.isExcluded(candidates.endpoint(a));
      boolean bExcluded = context.isExcluded(candidates.endpoint(b));
      if (aExcluded && bExcluded) {
        return SelectorSupport.firstAllowedFrom(candidates, context, a);
      }
      if (aExcluded) {
        return b;
      }
      if (bExcluded) {
        return a;
      }
    }
    return duel.winner(a, b);
  }

  /** b from the n - 1 others, shifted past a: distinct and still uniform. */
  private static int secondDraw(RandomSource random, int n, int a) {
    int b = random.nextInt(n - 1);
    return b >= a ? b + 1 : b;
  }

  /**
   * Explains {@link #select} with a draw of its own: the two candidates drawn, and either the
   * exclusion that decided or the duel, with {@code describe} giving each one's load.
   */
  static Explainable.Decision explain(Candidates candidates, PickContext context, Duel duel,
      String name, IntFunction<String> describe) {
    SelectorSupport.requireNonEmpty(candidates, context);
    int n = candidates.size();
    if (n == 1) {
      return Explanations.preferring(candidates, context, 0, name + ": only one candidate");
    }
    int a = candidates.random().nextInt(n);
    int b = secondDraw(candidates.random(), n, a);
    String drew = name + " drew " + Explanations.id(candidates, a) + " and "
        + Explanations.id(candidates, b);
    boolean aExcluded = context.isExcluded(candidates.endpoint(a));
    boolean bExcluded = context.isExcluded(candidates.endpoint(b));
    if (aExcluded && bExcluded) {
      return Explanations.preferring(candidates, context, a, drew + "; both excluded by the call");
    }
    if (aExcluded || bExcluded) {
      int other = aExcluded ? b : a;
      return new Explainable.Decision(other, drew + "; " + Explanations.id(candidates, aExcluded ? a : b)
          + " is excluded by the call (already tried) -> " + Explanations.id(candidates, other));
    }
    int winner = duel.winner(a, b);
    int loser = winner == a ? b : a;
    return new Explainable.Decision(winner, drew + "; " + Explanations.id(candidates, winner)
        + " won: " + describe.apply(winner) + " vs " + describe.apply(loser));
  }

  /** Chooses between two distinct, allowed candidates. */
  @FunctionalInterface
  interface Duel {
    /** {@code a} or {@code b}; {@code a} on a tie. */
    int winner(int a, int b);
  }

  /**
   * The duel won by the candidate with the lower {@code load}, lower is better; {@code load} is
   * called once per candidate.
   */
  static Duel byLoad(IntToDoubleFunction load) {
    return (a, b) -> lessLoaded(a, load.applyAsDouble(a), b, load.applyAsDouble(b));
  }

  /** {@code b} if strictly less loaded than {@code a}, else {@code a}. */
  static int lessLoaded(int a, double loadA, int b, double loadB) {
    return loadB < loadA ? b : a;
  }
}
