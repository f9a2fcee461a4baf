package io.lb4j.core;

import io.lb4j.core.internal.LeastConnectionsSelector;
import io.lb4j.core.internal.LeastResponseTimeSelector;
import io.lb4j.core.internal.PowerOfTwoChoicesSelector;
import io.lb4j.core.internal.RandomSelector;
import io.lb4j.core.internal.ResponseTimeWeightedSelector;
import io.lb4j.core.internal.RoundRobinSelector;
import io.lb4j.core.internal.SmoothWeightedRoundRobinSelector;
import io.lb4j.core.internal.WeightedRandomSelector;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Every load-balancing algorithm lb4j ships, as {@link Algorithm} factories. Each returned
 * algorithm is immutable and thread-safe; the selectors it builds take no lock and allocate nothing
 * per pick. The README's algorithm guide says when to choose which.
 */
public final class Algorithms {
  private Algorithms() {}

  /** Round robin: each endpoint in turn; ignores weights and load. */
  public static Algorithm roundRobin() {
    return named("round-robin", RoundRobinSelector::new);
  }

  // --- weighted and load-aware algorithms (issue #2) ---

  /**
   * Smooth weighted round robin (nginx's): exact weight proportions in every cycle, spread out
   * rather than in bursts. Equal weights take the plain round-robin path, which is the same
   * sequence.
   */
  public static Algorithm smoothWeightedRoundRobin() {
    return named("smooth-weighted-round-robin", candidates -> candidates.hasUniformWeights()
        ? new RoundRobinSelector(candidates)
        : new SmoothWeightedRoundRobinSelector(candidates));
  }

  /** Uniform random: ignores weights and load. */
  public static Algorithm random() {
    return named("random", RandomSelector::new);
  }

  /** Weighted random (alias method): each endpoint with probability weight / total, O(1). */
  public static Algorithm weightedRandom() {
    return named("weighted-random", candidates -> candidates.hasUniformWeights()
        ? new RandomSelector(candidates)
        : new WeightedRandomSelector(candidates));
  }

  /** Least connections: the fewest in flight per unit of weight, by a full O(n) scan. */
  public static Algorithm leastConnections() {
    return named("least-connections", LeastConnectionsSelector::new);
  }

  /** Power of two choices over in-flight requests per unit of weight: O(1). */
  public static Algorithm powerOfTwoChoices() {
    return named("power-of-two-choices", PowerOfTwoChoicesSelector::new);
  }

  /**
   * Least response time: power of two choices over peak-EWMA latency × (in flight + 1) per unit of
   * weight (Finagle, Linkerd). The {@link LoadBalancer}'s default.
   */
  public static Algorithm leastResponseTime() {
    return named("least-response-time", LeastResponseTimeSelector::new);
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
    Objects.requireNonNull(recomputePeriod, "recomputePeriod");
    if (recomputePeriod.isNegative() || recomputePeriod.isZero()) {
      throw new IllegalArgumentException("recomputePeriod must be > 0, was " + recomputePeriod);
    }
    long periodNanos = saturatedNanos(recomputePeriod);
    return named("response-time-weighted",
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

  static Algorithm named(String name, Function<Candidates, Selector> factory) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(factory, "factory");
    return new Algorithm() {
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
