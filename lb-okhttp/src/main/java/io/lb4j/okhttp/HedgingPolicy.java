package io.lb4j.okhttp;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * When an idempotent call sends a second (third, ...) copy of itself to another instance because
 * the first has not answered yet: the tail-latency tool of gRPC's hedging policy (gRFC A6) and
 * Finagle's backup requests. Install it with {@link LoadBalancingInterceptor.Builder#hedging}.
 *
 * <p>A hedged call sends its first attempt, and each {@linkplain #delayNanos(long) delay} without
 * an answer another one to an instance the call has not tried, up to {@link #maxAttempts()} in
 * all; a failure or a {@linkplain #nonFatalStatuses() non-fatal status} sends the next one at once.
 * The first other answer wins; the attempts still running are canceled and their picks given back
 * (counted neither way). Hedges draw from the service's retry budget and stop when it is empty;
 * the call timeout bounds the whole set. Calls that may not be sent twice (see
 * {@link LoadBalancingInterceptor}) are never hedged.
 *
 * <p>The delay is fixed ({@link Builder#delay}) or a percentile of the service's recent attempt
 * latencies, never below a floor ({@link Builder#latencyPercentile}), Finagle-style: p95 hedges
 * about one call in twenty.
 *
 * <p>Immutable and thread-safe; built by a {@link Builder} that validates each value at once.
 */
public final class HedgingPolicy {
  /** The most attempts a hedged call may make, as in gRFC A6. */
  public static final int MAX_ATTEMPTS_LIMIT = 5;

  private final int maxAttempts;
  private final long fixedDelayNanos;
  private final double percentile;
  private final long floorNanos;
  private final Set<Integer> nonFatalStatuses;

  private HedgingPolicy(Builder builder) {
    this.maxAttempts = builder.maxAttempts;
    this.fixedDelayNanos = builder.fixedDelayNanos;
    this.percentile = builder.percentile;
    this.floorNanos = builder.floorNanos;
    this.nonFatalStatuses = builder.nonFatalStatuses;
  }

  /** A builder: 2 attempts, a 50 ms fixed delay, no non-fatal statuses until set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Attempts per call, the first one included: 2 to {@value #MAX_ATTEMPTS_LIMIT}. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Whether the delay follows recent latencies (else it is fixed). */
  public boolean isAdaptive() {
    return percentile > 0;
  }

  /** The percentile in (0, 100) the adaptive delay follows, or 0 for a fixed delay. */
  public double percentile() {
    return percentile;
  }

  /**
   * The delay before the next hedge: the fixed one, or {@code recentPercentileNanos} (the
   * service's current latency percentile, 0 if none measured yet) but at least the floor.
   */
  public long delayNanos(long recentPercentileNanos) {
    return isAdaptive() ? Math.max(floorNanos, recentPercentileNanos) : fixedDelayNanos;
  }

  /** Statuses after which the next hedge goes at once instead of the answer being taken. */
  public Set<Integer> nonFatalStatuses() {
    return nonFatalStatuses;
  }

  @Override
  public String toString() {
    return "HedgingPolicy{maxAttempts=" + maxAttempts
        + (isAdaptive() ? ", delay=p" + percentile + " >= " + Duration.ofNanos(floorNanos)
            : ", delay=" + Duration.ofNanos(fixedDelayNanos))
        + ", nonFatalStatuses=" + nonFatalStatuses + "}";
  }

  /** Configures a {@link HedgingPolicy}; not thread-safe. Setters validate at once. */
  public static final class Builder {
    private int maxAttempts = 2;
    private long fixedDelayNanos = Duration.ofMillis(50).toNanos();
    private double percentile;
    private long floorNanos;
    private Set<Integer> nonFatalStatuses = Set.of();

    private Builder() {}

    /** Attempts per call, the first one included, from 2 to {@value #MAX_ATTEMPTS_LIMIT}. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 2 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
        throw new IllegalArgumentException("maxAttempts must be in [2, " + MAX_ATTEMPTS_LIMIT
            + "], was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** A fixed delay between hedges, at least 0 (0: all at once). Replaces a percentile. */
    public Builder delay(Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("hedging delay must be >= 0, was " + delay);
      }
      this.fixedDelayNanos = delay.toNanos();
      this.percentile = 0;
      return this;
    }

    /**
     * A delay that follows the service's recent attempt latencies: their {@code percentile}
     * (in (0, 100), 95 for p95), never below {@code floor}. Replaces a fixed delay.
     */
    public Builder latencyPercentile(double percentile, Duration floor) {
      Objects.requireNonNull(floor, "floor");
      if (!(percentile > 0 && percentile < 100)) {
        throw new IllegalArgumentException("percentile must be in (0, 100), was " + percentile);
      }
      if (floor.isNegative()) {
        throw new IllegalArgumentException("hedging floor must be >= 0, was " + floor);
      }
      this.percentile = percentile;
      this.floorNanos = floor.toNanos();
      return this;
    }

    /** Statuses that send the next hedge at once (503, say) instead of ending the call. */
    public Builder nonFatalStatuses(int... codes) {
      this.nonFatalStatuses = StatusCodes.of("non-fatal status", codes);
      return this;
    }

    /** The policy; the builder may be reused. */
    public HedgingPolicy build() {
      return new HedgingPolicy(this);
    }
  }
}
