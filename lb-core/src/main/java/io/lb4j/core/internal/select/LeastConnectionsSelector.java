package io.lb4j.core.internal.select;

import io.lb4j.core.Candidates;
import io.lb4j.core.EndpointStats;
import io.lb4j.core.PickContext;
import io.lb4j.core.internal.explain.Explainable;
import io.lb4j.core.internal.explain.Explanations;

/**
 * Least connections: the candidate with the fewest requests in flight per unit of weight. Choose it
 * when one client sends most of an instance's traffic and requests are long or uneven; when many
 * clients share the instances, prefer {@link PowerOfTwoChoicesSelector}, which avoids every client
 * herding onto the same idle instance.
 *
 * <p>Load of candidate i: {@code (inFlight(i) + 1) / weight(i)}, compared exactly; the {@code + 1}
 * lets weights count when all are idle. The pick is a true minimum, ties broken uniformly at random
 * among all minima. Excluded candidates are skipped.
 *
 * <p>Cost: the selector keeps a {@link LeastLoadTree} that the threads changing in-flight counts
 * update (two changes per call: the pick's start and the completion), so a pick is O(log n) reads
 * and one random draw, and each in-flight change O(log n) compare-and-sets, with no lock and no
 * allocation. HAProxy keeps the same kind of tree under a lock; here the pick path never waits. A
 * pick falls back to the O(n) scan over the live counts (the same answer, reservoir sampling over
 * the tied minima) when the context excludes endpoints (retries), when a newer least-connections
 * selector over the same stats has taken over the in-flight notifications (the balancer has
 * rebuilt; this one is retiring), and when every key saturates (in-flight × W² / weight ≥ 2^43,
 * W the largest weight). Build O(n); memory about 4n/3 longs plus 24 bytes of observer and 12 of
 * arrays per candidate; at most 2^20 candidates.
 */
public final class LeastConnectionsSelector extends AbstractSelector implements Explainable {
  private final LeastLoadTree tree;

  /**
   * Builds the selector and takes over the in-flight notifications of the candidates' stats.
   *
   * @throws IllegalArgumentException if there are more than 2^20 candidates
   */
  public LeastConnectionsSelector(Candidates candidates) {
    super(candidates);
    this.tree = new LeastLoadTree(candidates);
  }

  @Override
  public int selectIndex(PickContext context) {
    SelectorSupport.requireNonEmpty(candidates, context);
    if (context.excludedCount() == 0 && !tree.isReplaced()) {
      int index = tree.pick(candidates.random());
      if (index >= 0) {
        return index;
      }
    }
    return scan(context);
  }

  private int scan(PickContext context) {
    boolean checkExcluded = context.excludedCount() > 0;
    int best = -1;
    long bestLoad = 0;
    long bestWeight = 1;
    int ties = 0;
    for (int i = 0; i < candidates.size(); i++) {
      if (checkExcluded && context.isExcluded(candidates.endpoint(i))) {
        continue;
      }
      EndpointStats stats = candidates.stats(i);
      long load = stats.inFlight() + 1L;
      long weight = candidates.weight(i);
      // load / weight < bestLoad / bestWeight, without division.
      long cmp = best < 0 ? -1 : Long.compare(load * bestWeight, bestLoad * weight);
      if (cmp < 0) {
        best = i;
        bestLoad = load;
        bestWeight = weight;
        ties = 1;
      } else if (cmp == 0 && candidates.random().nextInt(++ties) == 0) {
        best = i;
      }
    }
    if (best < 0) {
      throw SelectorSupport.noneAvailable(candidates, context);
    }
    return best;
  }

  @Override
  public Decision explain(PickContext context) {
    int chosen = selectIndex(context);
    int allowed = 0;
    int ties = 0;
    long load = candidates.stats(chosen).inFlight() + 1L;
    for (int i = 0; i < candidates.size(); i++) {
      if (context.isExcluded(candidates.endpoint(i))) {
        continue;
      }
      allowed++;
      if ((candidates.stats(i).inFlight() + 1L) * candidates.weight(chosen)
          == load * candidates.weight(i)) {
        ties++;
      }
    }
    return new Decision(chosen, "least connections: lowest (in flight + 1) / weight = " + load
        + "/" + candidates.weight(chosen) + " among " + allowed + " allowed" + (ties > 1 ? ", tied with " + (ties - 1) + " others, broken at random" : "")
        + " -> " + Explanations.id(candidates, chosen));
  }

  @Override
  public String toString() {
    return "LeastConnectionsSelector" + candidates.endpoints();
  }
}
