package io.lb4j.core.internal.hash;

import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.internal.explain.Explainable;
import io.lb4j.core.internal.explain.Explanations;
import io.lb4j.core.internal.select.AbstractSelector;

/**
 * Consistent hashing on a ring with virtual nodes: choose it for key affinity (cache locality,
 * per-user state) in a fleet that changes, when you want the classic, well-understood scheme and
 * weight-proportional shares.
 *
 * <p>Guarantees: a key maps to the owner of the first ring point at or after its hash, so the same
 * key goes to the same endpoint in every process that sees the same ids and weights, whatever their
 * order. Removing an endpoint moves only the keys it owned; adding one moves only keys it takes
 * over, about {@code 1/(n+1)} of them. Each endpoint gets {@code vnodesPerWeight × weight} points
 * (scaled down if the ring would exceed {@link HashRing#MAX_POINTS}), so its share is proportional
 * to its weight up to the ring's sampling noise: with 160 points per endpoint the spread of shares
 * is about ±8% (one standard deviation, {@code 1/√160}). An excluded owner is walked past
 * clockwise to the next non-excluded one. Without a hash key, a random key is drawn
 * ({@link Candidates#random()}), which makes the pick a weighted random one.
 *
 * <p>Cost: pick reads a bucket of a lookup index and the one or two points in it, O(1) expected
 * (about three cache misses with the owner, where a binary search over a 160,000-point ring takes
 * ~17 dependent ones), O(log(points)) at worst, no allocation; build sorts {@code P = Σ vnodes}
 * points, O(P log P); memory 16 bytes per point plus at most 4 for the index (160 × 100 endpoints:
 * 250 KiB + 32 KiB; 160 × 1,000: 2.4 MiB + 512 KiB).
 *
 * <p>Source: Karger et al., "Consistent Hashing and Random Trees" (STOC 1997); 160 points per unit
 * weight is libketama's choice, which Envoy's ring hash and nginx's {@code hash ... consistent}
 * (160 per weight unit) also use.
 */
public final class RingHashSelector extends AbstractSelector implements Explainable {
  /** libketama's and nginx's 160 points per unit of weight: about ±8% share noise per endpoint. */
  public static final int DEFAULT_VNODES_PER_WEIGHT = 160;

  private final HashRing ring;

  /**
   * @throws IllegalArgumentException if {@code vnodesPerWeight} is outside [1, {@link
   *     HashRing#MAX_POINTS}]
   */
  public RingHashSelector(Candidates candidates, int vnodesPerWeight) {
    super(candidates);
    this.ring = new HashRing(candidates, checkVnodesPerWeight(vnodesPerWeight));
  }

  /** Returns {@code vnodesPerWeight} if it is in [1, 2^20], else throws naming it. */
  public static int checkVnodesPerWeight(int vnodesPerWeight) {
    if (vnodesPerWeight <= 0) {
      throw new IllegalArgumentException("vnodesPerWeight must be > 0, was " + vnodesPerWeight);
    }
    if (vnodesPerWeight > HashRing.MAX_POINTS) {
      throw new IllegalArgumentException(
          "vnodesPerWeight must be <= " + HashRing.MAX_POINTS + ", was " + vnodesPerWeight);
    }
    return vnodesPerWeight;
  }

  @Override
  public int selectIndex(PickContext context) {
    int point = ring.pointFor(HashSupport.pickKey(candidates, context));
    return ring.firstAllowedOwnerFrom(point, candidates, context);
  }

  @Override
  public Decision explain(PickContext context) {
    return Explanations.byKey(this, context, "ring hash", context.hasHashKey()
        ? "falls before ring point " + String.format("%016x", ring.hashOf(ring.pointFor(context.hashKey())))
            + " of " + ring.size()
        : "");
  }

  @Override
  public String toString() {
    return "RingHashSelector{" + ring.size() + " points}" + candidates.endpoints();
  }
}
