package io.lb4j.core.internal;

import io.lb4j.core.Candidates;
import io.lb4j.core.EndpointStats;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import java.util.function.IntToDoubleFunction;

/**
 * Least response time: power of two choices over peak-EWMA latency × (in flight + 1), per unit of
 * weight. Choose it by default, and above all when instances differ in speed or slow down under
 * load: it moves traffic away from a slow or overloaded instance within a few calls, yet keeps
 * probing it.
 *
 * <p>Load of candidate i: {@link EndpointStats#load()} / {@code weight(i)}, where {@code load()} is
 * Finagle's peak EWMA: a latency spike counts at once and decays with time, and an instance with no
 * latency history but requests in flight carries a large penalty, so that a newcomer is probed
 * without being flooded. Pick: two random draws and a few atomic reads, O(1), no lock, no
 * allocation. Ties keep the first draw. Exclusions: see {@link TwoChoices}.
 *
 * <p>Source: Finagle's {@code PeakEwma} balancer; Linkerd's default; Mitzenmacher (2001).
 */
public final class LeastResponseTimeSelector implements Selector {
  private final Candidates candidates;
  private final IntToDoubleFunction load;

  public LeastResponseTimeSelector(Candidates candidates) {
    this.candidates = candidates;
    this.load = i -> candidates.stats(i).load() / candidates.weight(i);
  }

  @Override
  public Candidates candidates() {
    return candidates;
  }

  @Override
  public int selectIndex(PickContext context) {
    return TwoChoices.select(candidates, context, load);
  }

  @Override
  public String toString() {
    return "LeastResponseTimeSelector" + candidates.endpoints();
  }
}
