package io.lb4j.core;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One chosen endpoint for one attempt of a call, returned by {@link LoadBalancer#pick}. The caller
 * sends the attempt to {@link #endpoint()} and then calls {@link #complete} exactly once, which
 * ends the in-flight count and feeds latency and outcome to the endpoint's stats and the health
 * tracker.
 *
 * <p>Thread-safe: {@code complete} may be called from any thread. A second {@code complete} changes
 * nothing (in-flight never goes negative) and throws {@link IllegalStateException}, since it means
 * the caller's bookkeeping is wrong.
 */
public final class Pick {
  private static final AtomicIntegerFieldUpdater<Pick> COMPLETED =
      AtomicIntegerFieldUpdater.newUpdater(Pick.class, "completed");

  private final Endpoint endpoint;
  private final EndpointStats stats;
  private final HealthTracker health;
  private final Ticker ticker;
  private final long startNanos;
  private volatile int completed;

  Pick(Endpoint endpoint, EndpointStats stats, HealthTracker health, Ticker ticker) {
    this.endpoint = endpoint;
    this.stats = stats;
    this.health = health;
    this.ticker = ticker;
    this.startNanos = ticker.read();
  }

  /** The endpoint to send this attempt to. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** The ticker reading taken when this pick was made. */
  public long startNanos() {
    return startNanos;
  }

  /**
   * Ends this attempt, measuring its latency from the pick to now.
   *
   * @throws IllegalStateException if already completed
   */
  public void complete(boolean success) {
    complete(success, Math.max(0, ticker.read() - startNanos));
  }

  /**
   * Ends this attempt with an externally measured latency.
   *
   * @param success whether the endpoint served the call well (a connection failure or a 5xx is not)
   * @param latencyNanos how long the attempt took, at least 0
   * @throws IllegalArgumentException if {@code latencyNanos} is negative
   * @throws IllegalStateException if already completed
   */
  public void complete(boolean success, long latencyNanos) {
    if (latencyNanos < 0) {
      throw new IllegalArgumentException(
          "latencyNanos must be >= 0, was " + latencyNanos + " for endpoint " + endpoint.id());
    }
    if (!COMPLETED.compareAndSet(this, 0, 1)) {
      throw new IllegalStateException("pick of endpoint " + endpoint.id() + " already completed");
    }
    stats.end(success, latencyNanos);
    health.recordOutcome(endpoint, success, latencyNanos);
  }

  /** Whether {@link #complete} has been called. */
  public boolean isCompleted() {
    return completed != 0;
  }

  @Override
  public String toString() {
    return "Pick{" + endpoint.id() + (isCompleted() ? ", completed" : "") + "}";
  }
}
