package io.lb4j.core.internal.hash;

import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.internal.explain.Explainable;
import io.lb4j.core.internal.explain.Explanations;
import io.lb4j.core.internal.select.AbstractSelector;
import io.lb4j.core.internal.select.SelectorSupport;

/**
 * Consistent hashing with bounded loads: choose it when you want key affinity but some keys are hot
 * enough to overload their endpoint, and you would rather send the overflow to the next endpoints
 * on the ring than queue it.
 *
 * <p>Guarantees: the ring of {@link RingHashSelector} (160 points per unit of weight), except that
 * the walk from the key's point passes over any endpoint whose in-flight count + 1 would exceed its
 * capacity {@code ⌈c × (T + 1) × w_i / W⌉}, where {@code T} is the candidates' total in-flight count
 * ({@link io.lb4j.core.EndpointStats#inFlight()}), {@code w_i} the endpoint's weight, {@code W} the
 * total weight and {@code c} the balance factor; with equal weights this is the paper's
 * {@code ⌈c × average⌉}. Because the capacities add up to at least {@code c × (T + 1) > T}, some
 * endpoint is always below its cap, so a single-threaded caller never puts any endpoint above
 * {@code ⌈c × average⌉}. Concurrent picks read counters that others are changing: the bound then
 * holds up to the number of racing picks. When every allowed endpoint is at its cap (possible only
 * when others are excluded, or under such races), the allowed endpoint with the lowest
 * in-flight/weight ratio seen on the walk is returned. Keys of unloaded endpoints never move: an
 * endpoint with nothing in flight always accepts. Exclusions and keyless picks are handled as on the
 * ring.
 *
 * <p>Cost: an endpoint with nothing in flight accepts in O(1) expected (the ring's indexed
 * lookup, O(log points) at worst). Otherwise the pick sums the
 * in-flight counts of all candidates, O(n) volatile reads (the selector sees no request end, so it
 * cannot keep a shared total honestly; the sum is exact for the candidates), then walks: O(1) steps
 * expected for c well above 1 (the paper bounds the expected walk by O(1/(c−1)²)), at most once
 * round the ring. No allocation. Build and memory as the ring.
 *
 * <p>Source: Mirrokni, Thorup, Zadimoghaddam, "Consistent Hashing with Bounded Loads" (SODA 2018,
 * arXiv 2017); Envoy's {@code hash_balance_factor} and HAProxy's {@code hash-balance-factor}.
 */
public final class BoundedLoadHashSelector extends AbstractSelector implements Explainable {
  /** Default balance factor c: no endpoint above 125% of average load, as in the paper's tests. */
  public static final double DEFAULT_BALANCE_FACTOR = 1.25;

  private final HashRing ring;
  private final double balanceFactor;

  /** @throws IllegalArgumentException if {@code balanceFactor} is not a finite number > 1 */
  public BoundedLoadHashSelector(Candidates candidates, double balanceFactor) {
    super(candidates);
    this.balanceFactor = checkBalanceFactor(balanceFactor);
    this.ring = new HashRing(candidates, RingHashSelector.DEFAULT_VNODES_PER_WEIGHT);
  }

  /** Returns {@code balanceFactor} if it is a finite number > 1, else throws naming it. */
  public static double checkBalanceFactor(double balanceFactor) {
    if (!(balanceFactor > 1) || Double.isInfinite(balanceFactor)) {
      throw new IllegalArgumentException("balanceFactor must be finite and > 1, was " + balanceFactor);
    }
    return balanceFactor;
  }

  @Override
  public int selectIndex(PickContext context) {
    int point = ring.pointFor(HashSupport.pickKey(candidates, context));
    int owner = ring.owner(point);
    if (candidates.stats(owner).inFlight() == 0 && !SelectorSupport.isExcluded(context, candidates, owner)) {
      return owner;
    }
    HashSupport.requireSomeAllowed(candidates, context);
    long total = 0;
    for (int i = 0; i < candidates.size(); i++) {
      total += candidates.stats(i).inFlight();
    }
    double load = balanceFactor * (total + 1);
    int fallback = -1;
    double fallbackRatio = Double.POSITIVE_INFINITY;
    for (int steps = ring.size(); steps > 0; steps--, point = ring.nextOwnerRun(point)) {
      owner = ring.owner(point);
      if (SelectorSupport.isExcluded(context, candidates, owner)) {
        continue;
      }
      int weight = candidates.weight(owner);
      int inFlight = candidates.stats(owner).inFlight();
      if (inFlight + 1 <= Math.ceil(load * weight / candidates.totalWeight())) {
        return owner;
      }
      double ratio = (double) inFlight / weight;
      if (ratio < fallbackRatio) {
        fallback = owner;
        fallbackRatio = ratio;
      }
    }
    return fallback;
  }

  @Override
  public Decision explain(PickContext context) {
    long total = 0;
    for (int i = 0; i < candidates.size(); i++) {
      total += candidates.stats(i).inFlight();
    }
    return Explanations.byKey(this, context, "bounded-load hash", "-> the first ring owner "
        + "clockwise with in flight + 1 <= " + balanceFactor + " x (" + total
        + " in flight + 1) x its weight share");
  }

  @Override
  public String toString() {
    return "BoundedLoadHashSelector{c=" + balanceFactor + ", " + ring.size() + " points}"
        + candidates.endpoints();
  }
}
