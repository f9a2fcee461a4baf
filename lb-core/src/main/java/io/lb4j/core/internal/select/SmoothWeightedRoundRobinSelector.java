package io.lb4j.core.internal.select;

import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.internal.concurrent.PaddedCounter;
import io.lb4j.core.internal.explain.Explainable;
import io.lb4j.core.internal.explain.Explanations;

/**
 * Smooth weighted round robin, nginx's: each candidate gets exactly its weight's share of every
 * cycle, spread out rather than in bursts (weights 5, 1, 1 give {@code a a b a c a a}). Choose it for
 * instances of known, unequal capacity serving uniform requests, when exact and predictable
 * proportions matter more than reacting to load.
 *
 * <p>The nginx loop scans all n candidates and mutates shared credits on every pick. Here the
 * constructor computes one full cycle of its sequence (weights divided by their greatest common
 * divisor) into an {@code int[]}, once per snapshot; a pick is one {@code getAndIncrement} on a shared
 * counter into that cycle: O(1), no lock, no allocation. The sequence is nginx's for the same
 * weights in the same order. The counter starts at a random offset so that clients restarted together
 * do not move in lockstep, and is masked to stay non-negative across overflow. An excluded pick
 * moves on to the next candidate in list order that is not excluded.
 *
 * <p>Cycle bound: when the reduced weights sum to more than {@link #MAX_CYCLE} (2^16), each weight is
 * scaled down proportionally ({@code max(1, w × MAX_CYCLE / sum)}, rounded down) before the cycle is
 * built, so proportions are then exact only to that resolution, and the cycle holds at most
 * {@code MAX_CYCLE + n} entries. Build cost: about O(cycle length × log n) time
 * ({@link SmoothWeightedCycle}), one int per cycle entry.
 *
 * <p>Source: nginx, {@code ngx_http_upstream_get_peer} in
 * {@code src/http/ngx_http_upstream_round_robin.c}.
 */
public final class SmoothWeightedRoundRobinSelector extends AbstractSelector implements Explainable {

  /** Cycle length above which weights are scaled down. */
  public static final int MAX_CYCLE = 1 << 16;

  private final int[] cycle;
  private final PaddedCounter next;

  public SmoothWeightedRoundRobinSelector(Candidates candidates) {
    super(candidates);
    this.cycle = candidates.isEmpty() ? new int[0] : SmoothWeightedCycle.of(cycleWeights(candidates));
    this.next = new PaddedCounter(cycle.length == 0 ? 0 : candidates.random().nextInt(cycle.length));
  }

  @Override
  public int selectIndex(PickContext context) {
    SelectorSupport.requireNonEmpty(candidates, context);
    int index = cycle[(next.getAndIncrement() & Integer.MAX_VALUE) % cycle.length];
    return SelectorSupport.firstAllowedFrom(candidates, context, index);
  }

  /** The precomputed cycle, a copy; for tests. */
  @Override
  public Decision explain(PickContext context) {
    SelectorSupport.requireNonEmpty(candidates, context);
    int slot = (next.peek() & Integer.MAX_VALUE) % cycle.length;
    return Explanations.preferring(candidates, context, cycle[slot], "smooth weighted round robin: "
        + "slot " + slot + " of the " + cycle.length + "-slot cycle of weights " + weightsOf(candidates));
  }

  private static String weightsOf(Candidates candidates) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < candidates.size(); i++) {
      out.append(i == 0 ? "" : ":").append(candidates.weight(i));
    }
    return out.toString();
  }

  int[] cycle() {
    return cycle.clone();
  }

  /** The candidates' weights divided by their GCD, scaled down if they sum above the bound. */
  static int[] cycleWeights(Candidates candidates) {
    int n = candidates.size();
    int[] weights = new int[n];
    for (int i = 0; i < n; i++) {
      weights[i] = candidates.weight(i);
    }
    reduceByGcd(weights);
    long sum = sum(weights);
    if (sum > MAX_CYCLE) {
      for (int i = 0; i < n; i++) {
        weights[i] = (int) Math.max(1, (long) weights[i] * MAX_CYCLE / sum);
      }
      reduceByGcd(weights);
    }
    return weights;
  }

  private static void reduceByGcd(int[] weights) {
    int gcd = 0;
    for (int weight : weights) {
      gcd = gcd(gcd, weight);
    }
    if (gcd > 1) {
      for (int i = 0; i < weights.length; i++) {
        weights[i] /= gcd;
      }
    }
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  private static long sum(int[] weights) {
    long sum = 0;
    for (int weight : weights) {
      sum += weight;
    }
    return sum;
  }

  @Override
  public String toString() {
    return "SmoothWeightedRoundRobinSelector" + candidates.endpoints();
  }
}
