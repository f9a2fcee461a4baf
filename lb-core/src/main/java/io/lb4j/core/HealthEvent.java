package io.lb4j.core;

import java.util.Objects;
import java.util.Optional;

/**
 * A change of health published by a {@link HealthTracker} to listeners registered with
 * {@link HealthTracker#subscribeEvents}: an endpoint leaving or rejoining the eligible set, or the
 * tracker entering or leaving panic mode. Immutable.
 *
 * @param type what happened
 * @param endpoint the endpoint concerned; empty for panic events
 * @param detail a human-readable reason, e.g. "5 consecutive failures, ejected for 30s", or
 *     {@code "source: reason"} for marks
 */
public record HealthEvent(Type type, Optional<Endpoint> endpoint, String detail) {

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

  public HealthEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(detail, "detail");
  }
}
