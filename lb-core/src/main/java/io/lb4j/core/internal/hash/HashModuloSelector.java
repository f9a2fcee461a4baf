package io.lb4j.core.internal.hash;

import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.internal.explain.Explainable;
import io.lb4j.core.internal.explain.Explanations;
import io.lb4j.core.internal.select.AbstractSelector;
import java.util.Arrays;

/**
 * Hash modulo, the textbook {@code hash(key) mod n}: choose it only for a fleet that never changes
 * size (or whose every resize may reshuffle all affinity), for its simplicity and even spread;
 * otherwise prefer {@link RingHashSelector}, {@link MaglevSelector} or {@link RendezvousSelector}.
 *
 * <p>Guarantees: endpoints are ordered by id, so the mapping does not depend on list order. With
 * equal weights a key goes to the endpoint at {@code hash mod n} (unsigned). With weights, each
 * endpoint owns a range of {@code [0, W)} as long as its weight and the key goes to the range holding
 * {@code hash mod W}: shares are exactly proportional to weights. Resizing is disruptive: adding one
 * endpoint to n moves about {@code n/(n+1)} of all keys (a key stays only if {@code hash mod n ==
 * hash mod (n+1)}), and removing one moves about as many; any weight change moves most keys too.
 * An excluded endpoint's keys go to the next endpoint in id order. Without a hash key, a random key
 * is drawn ({@link Candidates#random()}), a weighted random pick.
 *
 * <p>Cost: pick O(1) with equal weights, O(log n) binary search otherwise, no allocation; build
 * O(n log n); memory 12 bytes per endpoint.
 */
public final class HashModuloSelector extends AbstractSelector implements Explainable {
  private final int[] byId;
  /** Cumulative weights in id order: endpoint byId[i] owns [cumulative[i-1], cumulative[i]). */
  private final long[] cumulative;
  private final boolean uniform;

  public HashModuloSelector(Candidates candidates) {
    super(candidates);
    this.byId = HashSupport.indexesById(candidates);
    this.cumulative = new long[byId.length];
    long sum = 0;
    for (int i = 0; i < byId.length; i++) {
      sum += candidates.weight(byId[i]);
      cumulative[i] = sum;
    }
    this.uniform = candidates.hasUniformWeights();
  }

  @Override
  public int selectIndex(PickContext context) {
    long key = HashSupport.pickKey(candidates, context);
    int position;
    if (uniform) {
      position = (int) Long.remainderUnsigned(key, byId.length);
    } else {
      long target = Long.remainderUnsigned(key, candidates.totalWeight());
      int found = Arrays.binarySearch(cumulative, target + 1);
      position = found >= 0 ? found : -found - 1;
    }
    return HashSupport.firstAllowedInTable(byId, position, candidates, context);
  }

  @Override
  public Decision explain(PickContext context) {
    return Explanations.byKey(this, context, "hash modulo", uniform
        ? "mod " + byId.length + " endpoints (sorted by id)"
        : "mod total weight " + candidates.totalWeight() + " over cumulative weights (sorted by id)");
  }

  @Override
  public String toString() {
    return "HashModuloSelector" + candidates.endpoints();
  }
}
