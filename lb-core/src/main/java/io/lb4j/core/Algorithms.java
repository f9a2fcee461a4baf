package io.lb4j.core;

import io.lb4j.core.internal.Arguments;
import io.lb4j.core.internal.select.LeastConnectionsSelector;
import io.lb4j.core.internal.select.LeastResponseTimeSelector;
import io.lb4j.core.internal.select.PowerOfTwoChoicesSelector;
import io.lb4j.core.internal.select.RandomSelector;
import io.lb4j.core.internal.select.ResponseTimeWeightedSelector;
import io.lb4j.core.internal.select.RoundRobinSelector;
import io.lb4j.core.internal.select.SmoothWeightedRoundRobinSelector;
import io.lb4j.core.internal.select.WeightedRandomSelector;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Every load-balancing algorithm lb4j ships, as {@link Algorithm} factories. Each returned
 * algorithm is thread-safe and may be shared by any number of balancers; all are immutable except
 * {@link #sticky(Algorithm) sticky sessions}, which give each balancer pins of its own. The
 * selectors they build take no lock and allocate nothing per pick (a sticky session's first pin
 * allocates its cache entry). The README's algorithm guide says when to choose which.
 *
 * <p>Slow start ({@link Algorithm#rampsWeights()}) applies to the algorithms where weight means
 * share of requests: smooth weighted round robin, weighted random, least connections, power of two
 * choices, least response time and response-time weighted. It does not apply to round robin and
 * random (they ignore weights) nor to any hash algorithm (hash modulo, ring, Maglev, bounded load,
 * rendezvous), whose keys stay where they are while an endpoint ramps; sticky sessions follow their
 * delegate.
 */
public final class Algorithms {
  private Algorithms() {}

  /** Round robin: each endpoint in turn; ignores weights and load. */
  public static Algorithm roundRobin() {
    return named("round-robin", false, RoundRobinSelector::new);
  }

  // --- weighted and load-aware algorithms (issue #2) ---

  /**
   * Smooth weighted round robin (nginx's): exact weight proportions in every cycle, spread out
   * rather than in bursts. Equal weights take the plain round-robin path, which is the same
   * sequence.
   */
  public static Algorithm smoothWeightedRoundRobin() {
    return named("smooth-weighted-round-robin", true, candidates -> candidates.hasUniformWeights()
        ? new RoundRobinSelector(candidates)
        : new SmoothWeightedRoundRobinSelector(candidates));
  }

  /** Uniform random: ignores weights and load. */
  public static Algorithm random() {
    return named("random", false, RandomSelector::new);
  }

  /** Weighted random (alias method): each endpoint with probability weight / total, O(1). */
  public static Algorithm weightedRandom() {
    return named("weighted-random", true, candidates -> candidates.hasUniformWeights()
        ? new RandomSelector(candidates)
        : new WeightedRandomSelector(candidates));
  }

  /**
   * Least connections: the fewest in flight per unit of weight, ties broken at random among all
   * minima. Pick O(log n) through an index that in-flight changes keep current (O(log n) each); an
   * O(n) scan only for picks that exclude endpoints (retries). At most 2^20 candidates.
   */
  public static Algorithm leastConnections() {
    return named("least-connections", true, LeastConnectionsSelector::new);
  }

  /** Power of two choices over in-flight requests per unit of weight: O(1). */
  public static Algorithm powerOfTwoChoices() {
    return named("power-of-two-choices", true, PowerOfTwoChoicesSelector::new);
  }

  /**
   * Least response time: power of two choices over peak-EWMA latency × (in flight + 1) per unit of
   * weight (Finagle, Linkerd). The {@link LoadBalancer}'s default.
   */
  public static Algorithm leastResponseTime() {
    return named("least-response-time", true, LeastResponseTimeSelector::new);
  }

  /** Default recompute period of {@link #responseTimeWeighted()}. */
  public static final Duration DEFAULT_RESPONSE_TIME_RECOMPUTE_PERIOD = Duration.ofSeconds(1);

  /**
   * Response-time weighted random, recomputing its weights every
   * {@link #DEFAULT_RESPONSE_TIME_RECOMPUTE_PERIOD}; see {@link #responseTimeWeighted(Duration)}.
   */
  public static Algorithm responseTimeWeighted() {
    return responseTimeWeighted(DEFAULT_RESPONSE_TIME_RECOMPUTE_PERIOD);
  }

  /**
   * Response-time weighted random: weights proportional to configured weight × success rate /
   * peak-EWMA latency, recomputed every {@code recomputePeriod} by the candidates' ticker, never
   * below a tenth of the mean. The one pick per period that notices the period has elapsed rebuilds
   * the weights on its own thread (O(n), allocating); every other pick is O(1) and allocation-free.
   *
   * @throws IllegalArgumentException if {@code recomputePeriod} is not positive
   */
  public static Algorithm responseTimeWeighted(Duration recomputePeriod) {
    Arguments.positive(recomputePeriod, "recomputePeriod");
    long periodNanos = saturatedNanos(recomputePeriod);
    return named("response-time-weighted", true,
        candidates -> new ResponseTimeWeightedSelector(candidates, periodNanos));
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  // --- hash-based algorithms (issue #3) ---
  // Internal classes are named in full here so that this region needs no import of its own.

  /**
   * Hash modulo: {@code hash(key) mod n} (unsigned) over the endpoints in id order; with unequal
   * weights, {@code hash(key) mod W} over cumulative weights. Disruptive on resize: adding one
   * endpoint to n moves about {@code n/(n+1)} of all keys. Prefer {@link #ringHash()},
   * {@link #maglev()} or {@link #rendezvous()} when the fleet changes. Key from
   * {@link PickContext#hashKey(String)}; without one, a random pick.
   */
  public static Algorithm hashModulo() {
    return named("hash-modulo", false, io.lb4j.core.internal.hash.HashModuloSelector::new);
  }

  /**
   * Consistent hashing on a ring with 160 virtual nodes per unit of weight (libketama's and nginx's
   * choice: shares within about ±8%). Removing an endpoint moves only its keys. See
   * {@link #ringHash(int)}.
   */
  public static Algorithm ringHash() {
    return ringHash(io.lb4j.core.internal.hash.RingHashSelector.DEFAULT_VNODES_PER_WEIGHT);
  }

  /**
   * Consistent hashing on a ring with {@code vnodesPerWeight} points per unit of weight: more points
   * even out shares (noise about {@code 1/√vnodesPerWeight}) at 16 bytes each, plus at most 4 for
   * the lookup index; the ring is capped near 2^20 points by scaling every endpoint's count down
   * alike. Pick O(1) expected (a bucket index narrows the search to one or two points), O(log
   * points) at worst, no allocation.
   *
   * @throws IllegalArgumentException if {@code vnodesPerWeight} is not in [1, 2^20]
   */
  public static Algorithm ringHash(int vnodesPerWeight) {
    io.lb4j.core.internal.hash.RingHashSelector.checkVnodesPerWeight(vnodesPerWeight);
    return named("ring-hash", false,
        candidates -> new io.lb4j.core.internal.hash.RingHashSelector(candidates, vnodesPerWeight));
  }

  /**
   * Maglev with a 65,537-slot table: O(1) pick, near-perfect spread; when one of n endpoints leaves,
   * somewhat more than {@code 1/n} of keys move (1.55/n measured at n = 100). See
   * {@link #maglev(int)}.
   */
  public static Algorithm maglev() {
    return maglev(io.lb4j.core.internal.hash.MaglevSelector.DEFAULT_TABLE_SIZE);
  }

  /**
   * Maglev with a lookup table of {@code tableSize} slots, weight-aware. Keep {@code tableSize >=
   * 100 × endpoints} for shares within about 1%; building a selector over more endpoints than
   * slots fails with {@link IllegalArgumentException}.
   *
   * @throws IllegalArgumentException if {@code tableSize} is not a prime in [7, 2^26]
   */
  public static Algorithm maglev(int tableSize) {
    io.lb4j.core.internal.hash.MaglevSelector.checkTableSize(tableSize);
    return named("maglev", false,
        candidates -> new io.lb4j.core.internal.hash.MaglevSelector(candidates, tableSize));
  }

  /**
   * Consistent hashing with bounded loads, balance factor 1.25: no endpoint above 125% of the
   * average in-flight load. See {@link #boundedLoadHash(double)}.
   */
  public static Algorithm boundedLoadHash() {
    return boundedLoadHash(io.lb4j.core.internal.hash.BoundedLoadHashSelector.DEFAULT_BALANCE_FACTOR);
  }

  /**
   * Consistent hashing with bounded loads: the ring of {@link #ringHash()}, walking past endpoints
   * whose in-flight count + 1 would exceed {@code ⌈c × (total in-flight + 1) × weight share⌉}.
   * Smaller {@code c} evens load more and moves more keys off their home endpoint. Needs the
   * balancer's in-flight counts, so use it through {@link LoadBalancer}.
   *
   * @throws IllegalArgumentException if {@code balanceFactor} is not a finite number > 1
   */
  public static Algorithm boundedLoadHash(double balanceFactor) {
    io.lb4j.core.internal.hash.BoundedLoadHashSelector.checkBalanceFactor(balanceFactor);
    return named("bounded-load-hash", false,
        candidates -> new io.lb4j.core.internal.hash.BoundedLoadHashSelector(candidates, balanceFactor));
  }

  /**
   * Rendezvous (highest random weight) hashing, weighted: exact weight shares and minimal
   * disruption with no knob; pick O(n).
   */
  public static Algorithm rendezvous() {
    return named("rendezvous", false, io.lb4j.core.internal.hash.RendezvousSelector::new);
  }

  /**
   * Sticky sessions over {@code delegate}, keeping up to 100,000 sessions for 30 minutes after
   * their last pick. See {@link #sticky(Algorithm, long, java.time.Duration)}.
   */
  public static Algorithm sticky(Algorithm delegate) {
    return sticky(delegate, io.lb4j.core.internal.select.StickySessionAlgorithm.DEFAULT_MAXIMUM_SIZE,
        io.lb4j.core.internal.select.StickySessionAlgorithm.DEFAULT_EXPIRE_AFTER_ACCESS);
  }

  /**
   * Sticky sessions: the first pick of a session id ({@link PickContext#sessionId(String)}) is made
   * by {@code delegate} and pinned; later picks of the session return that endpoint while it is a
   * candidate. A pick excluding it (a retry) goes to {@code delegate} for that attempt and keeps
   * the pin; the session moves only when its endpoint stops being a candidate (left, ejected,
   * marked or probed down). Pins live in a Caffeine cache of at most {@code maximumSize} sessions,
   * each expiring {@code expireAfterAccess} after its last pick, so they survive selector rebuilds.
   * Stateful but safe to share: each {@link LoadBalancer} built with the returned algorithm gets a
   * cache of its own (see {@link Algorithm#forBalancer()}). Picks without a session go to {@code
   * delegate}.
   *
   * @throws IllegalArgumentException if {@code maximumSize} or {@code expireAfterAccess} is not
   *     positive
   */
  public static Algorithm sticky(
      Algorithm delegate, long maximumSize, java.time.Duration expireAfterAccess) {
    return new io.lb4j.core.internal.select.StickySessionAlgorithm(delegate, maximumSize, expireAfterAccess);
  }

  static Algorithm named(
      String name, boolean rampsWeights, Function<Candidates, Selector> factory) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(factory, "factory");
    return new Algorithm() {
      @Override
      public boolean rampsWeights() {
        return rampsWeights;
      }

      @Override
      public Selector newSelector(Candidates candidates) {
        return factory.apply(Objects.requireNonNull(candidates, "candidates"));
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
