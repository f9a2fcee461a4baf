package io.lb4j.core.internal;

import io.lb4j.core.Candidates;
import io.lb4j.core.EndpointStats;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;

/**
 * Least connections: the candidate with the fewest requests in flight per unit of weight, scanning
 * all of them. Choose it for a small fleet (tens of instances) with long or uneven requests where
 * one client sends most of the traffic; for large fleets or many clients prefer
 * {@link PowerOfTwoChoicesSelector}, which is O(1) and avoids herding onto one idle instance.
 *
 * <p>Load of candidate i: {@code (inFlight(i) + 1) / weight(i)}, compared exactly by
 * cross-multiplication in {@code long}; the {@code + 1} lets weights count when all are idle. Ties
 * are broken uniformly at random (reservoir sampling over the tied minima, one random draw per tie,
 * allocation-free). Excluded candidates are skipped.
 *
 * <p>Pick cost: O(n) atomic reads, a full scan by design, no lock, no allocation.
 */
public final class LeastConnectionsSelector implements Selector, Explainable {
  private final Candidates candidates;

  public LeastConnectionsSelector(Candidates candidates) {
    this.candidates = candidates;
  }

  @Override
  public Candidates candidates() {
    return candidates;
  }

  @Override
  public int selectIndex(PickContext context) {
    SelectorSupport.requireNonEmpty(candidates, context);
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
