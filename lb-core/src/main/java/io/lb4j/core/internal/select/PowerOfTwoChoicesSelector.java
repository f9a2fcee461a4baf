package io.lb4j.core.internal.select;

import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.internal.explain.Explainable;

/**
 * Power of two choices over requests in flight: of two distinct random candidates, the one with
 * fewer in flight per unit of weight. Choose it when request costs vary and many clients share the
 * servers: it tracks load almost as well as a full least-connections scan at O(1), and, unlike
 * always taking the global minimum, does not make every client pile onto the same idle instance.
 *
 * <p>Load of candidate i: {@code (inFlight(i) + 1) / weight(i)}; the {@code + 1} makes an idle
 * heavier instance win over an idle lighter one, so weights count even at low concurrency. Pick:
 * two random draws and two atomic reads, O(1), no lock, no allocation; nothing is precomputed.
 * Ties keep the first draw (itself uniformly random). Exclusions: see {@link TwoChoices}.
 *
 * <p>Source: Mitzenmacher (2001); Finagle's and Envoy's least-request balancers.
 */
public final class PowerOfTwoChoicesSelector extends AbstractSelector implements Explainable {
  private final TwoChoices.Duel duel;

  public PowerOfTwoChoicesSelector(Candidates candidates) {
    super(candidates);
    this.duel =
        TwoChoices.byLoad(i -> (candidates.stats(i).inFlight() + 1.0) / candidates.weight(i));
  }

  @Override
  public int selectIndex(PickContext context) {
    return TwoChoices.select(candidates, context, duel);
  }

  @Override
  public Decision explain(PickContext context) {
    return TwoChoices.explain(candidates, context, duel, "P2C", i -> "(" + candidates.stats(i).inFlight()
        + " in flight + 1) / weight " + candidates.weight(i));
  }

  @Override
  public String toString() {
    return "PowerOfTwoChoicesSelector" + candidates.endpoints();
  }
}
