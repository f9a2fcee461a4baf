package io.lb4j.core;

import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One chosen endpoint for one attempt of a call, returned by {@link LoadBalancer#pick}. The caller
 * sends the attempt to {@link #endpoint()} and then ends the pick exactly once: with
 * {@link #complete}, which ends the in-flight count and feeds latency and outcome to the endpoint's
 * stats and the health tracker, or with {@link #cancel}, when the attempt was given up before the
 * endpoint had a chance to answer (a circuit breaker refused it, the caller canceled), which ends
 * the in-flight count and records nothing.
 *
 * <p>A pick is {@link AutoCloseable}, so that no code path can leak one: a pick never ended would
 * count in flight forever and bias every load-aware algorithm against its endpoint. Use it in
 * try-with-resources and complete it inside; {@link #close()} cancels it if nothing else ended it:
 *
 * <pre>{@code
 * try (Pick pick = lb.pick(context)) {
 *   Response response = send(pick.endpoint());
 *   pick.complete(response.isSuccessful());
 * } // an exception before complete(...) cancels the pick: in flight again 0, no outcome recorded
 * }</pre>
 *
 * <p>Thread-safe: {@code complete}, {@code cancel} and {@code close} may be called from any thread
 * and share one once-only flag. A second {@code complete} or {@code cancel} changes nothing
 * (in-flight never goes negative) and throws {@link IllegalStateException}, since it means the
 * caller's bookkeeping is wrong; {@code close} never throws.
 */
public final class Pick implements AutoCloseable {
  private static final AtomicIntegerFieldUpdater<Pick> STATE =
      AtomicIntegerFieldUpdater.newUpdater(Pick.class, "state");
  private static final int OPEN = 0;
  private static final int COMPLETED = 1;
  private static final int CANCELED = 2;

  private final Endpoint endpoint;
  private final LiveEndpointStats stats;
  private final HealthTracker health;
  private final Ticker ticker;
  private final long startNanos;
  private volatile int state;

  Pick(Endpoint endpoint, LiveEndpointStats stats, HealthTracker health, Ticker ticker) {
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
   * @throws IllegalStateException if already completed or canceled
   */
  public void complete(boolean success) {
    long now = ticker.read();
    finish(success, Math.max(0, now - startNanos), now);
  }

  /**
   * Ends this attempt with an externally measured latency.
   *
   * @param success whether the endpoint served the call well (a connection failure or a 5xx is not)
   * @param latencyNanos how long the attempt took, at least 0
   * @throws IllegalArgumentException if {@code latencyNanos} is negative
   * @throws IllegalStateException if already completed or canceled
   */
  public void complete(boolean success, long latencyNanos) {
    if (latencyNanos < 0) {
      throw new IllegalArgumentException(
          "latencyNanos must be >= 0, was " + latencyNanos + " for endpoint " + endpoint.id());
    }
    finish(success, latencyNanos, ticker.read());
  }

  private void finish(boolean success, long latencyNanos, long nowNanos) {
    end(COMPLETED);
    stats.end(success, latencyNanos, nowNanos);
    health.recordOutcome(endpoint, success, latencyNanos);
  }

  /**
   * Gives this pick back without an outcome, for an attempt that never put the endpoint to the
   * test: ends the in-flight count and records nothing, neither success nor failure nor latency,
   * in the stats or the health tracker. Use {@link #complete} instead whenever the endpoint was
   * tried and failed (a refused connection, a reset, a timeout, a 5xx): those are what outlier
   * detection needs to see.
   *
   * @throws IllegalStateException if already completed or canceled
   */
  public void cancel() {
    end(CANCELED);
    stats.abandon();
  }

  /**
   * Cancels this pick, as {@link #cancel()} does, if it has not ended yet; does nothing if it was
   * completed or canceled. Never throws. Lets try-with-resources end every pick, including one
   * whose attempt threw before it could be completed.
   */
  @Override
  public void close() {
    if (STATE.compareAndSet(this, OPEN, CANCELED)) {
      stats.abandon();
    }
  }

  private void end(int how) {
    if (!STATE.compareAndSet(this, OPEN, how)) {
      throw new IllegalStateException("pick of endpoint " + endpoint.id() + " already "
          + (state == COMPLETED ? "completed" : "canceled"));
    }
  }

  /**
   * Whether this pick ended by {@link #complete}: its outcome was recorded. False while open and
   * for a canceled pick. Lock-free; once true, stays true.
   */
  public boolean isCompleted() {
    return state == COMPLETED;
  }

  /**
   * Whether this pick ended without an outcome, by {@link #cancel} or by {@link #close()} before
   * anything else ended it. False while open and for a completed pick. Lock-free; once true, stays
   * true.
   */
  public boolean isCanceled() {
    return state == CANCELED;
  }

  /**
   * Whether this pick has ended, either way: {@link #isCompleted()} or {@link #isCanceled()}. An
   * ended pick counts in flight no more, and a further {@code complete} or {@code cancel} throws.
   */
  public boolean isDone() {
    return state != OPEN;
  }

  @Override
  public String toString() {
    int current = state;
    return "Pick{" + endpoint.id()
        + (current == COMPLETED ? ", completed" : current == CANCELED ? ", canceled" : "") + "}";
  }
}
