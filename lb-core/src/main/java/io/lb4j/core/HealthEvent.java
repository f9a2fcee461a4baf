package io.lb4j.core;

import java.util.Objects;
import java.util.Optional;

/**
 * A change of health published by a {@link HealthTracker} to listeners registered with
 * {@link HealthTracker#subscribeEvents}: an endpoint leaving or rejoining the eligible set, or the
 * tracker entering or leaving panic mode. Immutable; never holds nulls.
 *
 * @param type what happened
 * @param endpoint the endpoint concerned; empty for panic events
 * @param detail a human-readable reason, e.g. "5 consecutive failures, ejected for 30s", or
 *     {@code "source: reason"} for marks
 * @param sequence the event's position among all events of its tracker, from 1 up, one apart, in
 *     the order the tracker took its decisions. Listeners run on the thread that made a change,
 *     so two events decided in quick succession on different threads may reach a listener in the
 *     opposite order: a listener that keeps state (a dashboard, a metric of the current state)
 *     ignores an event whose sequence is below the last one it applied.
 */
public record HealthEvent(Type type, Optional<Endpoint> endpoint, String detail, long sequence) {

  /** What happened. */
  public enum Type {
    /** Passive outlier detection took the endpoint out (consecutive failures or failure rate). */
    EJECTED,
    /** An ejected endpoint's ejection time ran out; it takes traffic again (slow start applies). */
    RETURNED,
    /** Active probes failed the unhealthy threshold in a row. */
    PROBE_DOWN,
    /** Active probes passed the healthy threshold in a row after a {@link #PROBE_DOWN}. */
    PROBE_UP,
    /** The first source's {@link HealthTracker#markUnavailable mark} took the endpoint out. */
    MARKED_UNAVAILABLE,
    /** {@link HealthTracker#markAvailable} lifted the last source's mark. */
    MARKED_AVAILABLE,
    /** Too few endpoints are healthy: all of them (except marked ones) become eligible. */
    PANIC_ENTERED,
    /** Enough endpoints are healthy again: only healthy ones are eligible. */
    PANIC_LEFT,
    /**
     * A detector's {@linkplain HealthTracker#reportUnhealthy soft verdict} took the endpoint out
     * (the first detector's, within the ejection budget).
     */
    REPORTED_UNHEALTHY,
    /** {@link HealthTracker#reportHealthy} lifted the last detector's verdict. */
    REPORTED_HEALTHY
  }

  /**
   * Checks the components.
   *
   * @throws NullPointerException if {@code type}, {@code endpoint} or {@code detail} is null
   * @throws IllegalArgumentException if {@code sequence < 1}
   */
  public HealthEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(detail, "detail");
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be >= 1, was " + sequence);
    }
  }
}
