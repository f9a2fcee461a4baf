package io.lb4j.core.internal.concurrent;

import io.lb4j.core.RandomSource;
import io.lb4j.core.discovery.DiscoveryOptions;
import java.util.Objects;

/**
 * The delay before the next query after {@code n} consecutive failures: {@code initial × 2^(n−1)}
 * capped at {@code max}, then spread by a random factor in {@code [1 − jitter, 1 + jitter)} and
 * capped at {@code max} again, so a fleet of clients that lost the same registry does not retry in
 * lockstep. Thread-safe if {@code random} is.
 */
public final class RetryBackoff {
  private final long initialNanos;
  private final long maxNanos;
  private final double jitter;
  private final RandomSource random;

  public RetryBackoff(long initialNanos, long maxNanos, double jitter, RandomSource random) {
    this.initialNanos = initialNanos;
    this.maxNanos = maxNanos;
    this.jitter = jitter;
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The backoff of a discovery source: {@code options}' initial and max backoff, jitter, random. */
  public static RetryBackoff of(DiscoveryOptions options) {
    return new RetryBackoff(options.initialBackoff().toNanos(), options.maxBackoff().toNanos(),
        options.jitterPercent() / 100.0, options.random());
  }

  /** The delay after {@code failures} consecutive failures (at least 1). */
  public long delayNanos(int failures) {
    long delay = initialNanos;
    for (int i = 1; i < failures && delay < maxNanos; i++) {
      delay = delay > maxNanos / 2 ? maxNanos : delay * 2;
    }
    delay = Math.min(delay, maxNanos);
    double factor = 1 - jitter + 2 * jitter * random.nextDouble();
    return Math.min(maxNanos, Math.max(1, (long) (delay * factor)));
  }
}
