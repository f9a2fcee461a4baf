package io.lb4j.kubernetes.internal;

import io.lb4j.core.RandomSource;
import io.lb4j.core.discovery.DiscoveryOptions;
import java.time.Duration;

/**
 * The wait before the next attempt after {@code n} consecutive failures, from {@link
 * DiscoveryOptions}: {@code initialBackoff} doubled {@code n − 1} times, at most {@code
 * maxBackoff}, spread by a random factor in {@code [1 − jitter, 1 + jitter)} (so clients that lost
 * the same API server do not list again in lockstep) and capped at {@code maxBackoff} again.
 * Thread-safe if the options' random source is.
 */
public final class RetryDelay {
  private final long initialNanos;
  private final long maxNanos;
  private final double jitter;
  private final RandomSource random;

  /** Delays from {@code options}' backoff, jitter and random source. */
  public RetryDelay(DiscoveryOptions options) {
    this.initialNanos = options.initialBackoff().toNanos();
    this.maxNanos = options.maxBackoff().toNanos();
    this.jitter = options.jitter();
    this.random = options.random();
  }

  /** The delay after {@code failures} consecutive failures; 0 or less counts as 1. */
  public Duration delay(int failures) {
    long base = initialNanos;
    for (int doubled = 1; doubled < failures && base < maxNanos; doubled++) {
      base = base > maxNanos / 2 ? maxNanos : base * 2;
    }
    double spread = 1 - jitter + 2 * jitter * random.nextDouble();
    return Duration.ofNanos(Math.max(1, Math.min(maxNanos, (long) (Math.min(base, maxNanos) * spread))));
  }
}
