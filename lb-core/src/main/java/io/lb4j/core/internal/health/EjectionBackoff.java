package io.lb4j.core.internal.health;

/**
 * How long an outlier stays ejected: {@code base × 2^(n−1)} for its n-th ejection in a row, capped
 * at {@code max}; the count n shrinks by one per {@code base} of uninterrupted health. Envoy and
 * gRPC grow the time linearly ({@code base × n}); doubling reaches the cap in fewer ejections, which
 * suits an endpoint that keeps failing, while the decay forgives one that recovered.
 *
 * @param baseNanos the first ejection's length, positive
 * @param maxNanos the cap, at least {@code baseNanos}
 */
public record EjectionBackoff(long baseNanos, long maxNanos) {

  /** The length of an ejection that brings the multiplier to {@code multiplier} (at least 1). */
  public long durationNanos(int multiplier) {
    long duration = baseNanos;
    for (int i = 1; i < multiplier && duration < maxNanos; i++) {
      duration = duration > maxNanos / 2 ? maxNanos : duration * 2;
    }
    return Math.min(duration, maxNanos);
  }

  /** The multiplier beyond which ejections no longer grow: there is no point in counting higher. */
  public int maxMultiplier() {
    int multiplier = 1;
    while (durationNanos(multiplier) < maxNanos) {
      multiplier++;
    }
    return multiplier;
  }

  /** {@code multiplier} after {@code healthyNanos} of uninterrupted health: one less per base. */
  public int decayed(int multiplier, long healthyNanos) {
    long steps = Math.max(0, healthyNanos) / baseNanos;
    return (int) Math.max(0, multiplier - steps);
  }
}
