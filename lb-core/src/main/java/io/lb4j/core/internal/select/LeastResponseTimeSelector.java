package io.lb4j.core.internal.select;

import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.internal.explain.Explainable;
import io.lb4j.core.internal.explain.Explanations;
import io.lb4j.core.internal.stats.LiveEndpointStats;

/**
 * Least response time: power of two choices over peak-EWMA latency × (in flight + 1), per unit of
 * weight. Choose it by default, and above all when instances differ in speed or slow down under
 * load: it moves traffic away from a slow or overloaded instance within a few calls, yet keeps
 * probing it.
 *
 * <p>Load of candidate i: {@link io.lb4j.core.EndpointStats#load()} / {@code weight(i)}, where {@code load()} is
 * Finagle's peak EWMA: a latency spike counts at once and decays with time, and an instance with no
 * latency history but requests in flight carries a large penalty, so that a newcomer is probed
 * without being flooded. A fast failure never lowers an endpoint's estimate (see {@link
 * EndpointStats}), so an instance answering 503 in a millisecond draws no more traffic than a
 * healthy one of its speed. Ties keep the first draw. Exclusions: see {@link TwoChoices}.
 *
 * <p>Both draws decay to the same {@code now}, so the comparison does not depend on it: in logs,
 * {@code cost·e^(-(now - stamp)/τ)·(p + 1)/w} ranks as {@link LiveEndpointStats#decayFreeLogCost()}
 * {@code + ln(p + 1) - ln w}. The pick compares that, without reading the clock or calling
 * {@code exp}: two random draws, one volatile and one atomic read per draw, a table look-up for
 * {@code ln(p + 1)} ({@code Math.log} from 256 in flight); O(1), no lock, no allocation. {@code
 * -ln w} is precomputed per candidate. It reads the clock (through {@code load()}) only when a
 * candidate without latency history has requests in flight (a newcomer's first calls), and on
 * every pick when the stats do not share one ticker and one decay τ of at least 1 ms (hand-built
 * candidates; see {@link LiveEndpointStats#logCostComparableWith}). It ranks as {@code load()} does up
 * to rounding, except that an estimate which has decayed below the smallest double (about 745 τ
 * without a completion: two hours at the default τ) still ranks by its size, where {@code load()}
 * had lost it to zero.
 *
 * <p>Source: Finagle's {@code PeakEwma} balancer; Linkerd's default; Mitzenmacher (2001).
 */
public final class LeastResponseTimeSelector extends AbstractSelector implements Explainable {
  static final int LOG_TABLE_SIZE = 256;
  private static final double[] LN_PENDING_PLUS_ONE = new double[LOG_TABLE_SIZE];

  static {
    for (int p = 0; p < LOG_TABLE_SIZE; p++) {
      LN_PENDING_PLUS_ONE[p] = Math.log(p + 1.0);
    }
  }

  private final LiveEndpointStats[] stats;
  private final double[] minusLnWeight;
  private final TwoChoices.Duel duel;

  public LeastResponseTimeSelector(Candidates candidates) {
    super(candidates);
    int n = candidates.size();
    this.stats = new LiveEndpointStats[n];
    this.minusLnWeight = new double[n];
    boolean comparable = true;
    for (int i = 0; i < n; i++) {
      stats[i] = LiveEndpointStats.of(candidates.stats(i));
      minusLnWeight[i] = -Math.log(candidates.weight(i));
      comparable &= stats[i].logCostComparableWith(stats[0]);
    }
    this.duel = comparable ? this::byLogLoad : TwoChoices.byLoad(this::load);
  }

  private double load(int i) {
    return stats[i].load() / candidates.weight(i);
  }

  private int byLogLoad(int a, int b) {
    double costA = stats[a].decayFreeLogCost();
    int pendingA = stats[a].inFlight();
    double costB = stats[b].decayFreeLogCost();
    int pendingB = stats[b].inFlight();
    if (costA != Double.NEGATIVE_INFINITY && costB != Double.NEGATIVE_INFINITY) {
      return TwoChoices.lessLoaded(a, costA + lnPlusOne(pendingA) + minusLnWeight[a],
          b, costB + lnPlusOne(pendingB) + minusLnWeight[b]);
    }
    // No history and nothing in flight: load 0, which no load undercuts; a keeps a tie.
    if (costA == Double.NEGATIVE_INFINITY && pendingA == 0) {
      return a;
    }
    if (costB == Double.NEGATIVE_INFINITY && pendingB == 0) {
      return b;
    }
    // A newcomer's penalty is not decayed, so it compares with a measured load only at one now.
    return TwoChoices.lessLoaded(a, load(a), b, load(b));
  }

  private static double lnPlusOne(int pending) {
    return pending < LOG_TABLE_SIZE ? LN_PENDING_PLUS_ONE[pending] : Math.log(pending + 1.0);
  }

  @Override
  public int selectIndex(PickContext context) {
    return TwoChoices.select(candidates, context, duel);
  }

  @Override
  public Decision explain(PickContext context) {
    return TwoChoices.explain(candidates, context, duel, "least response time (P2C)",
        i -> "cost " + Explanations.millis(stats[i].latencyNanos()) + " x (" + stats[i].inFlight()
            + " in flight + 1)" + (candidates.weight(i) == 1 ? "" : " / weight " + candidates.weight(i)));
  }

  @Override
  public String toString() {
    return "LeastResponseTimeSelector" + candidates.endpoints();
  }
}
