package io.lb4j.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A point-in-time view of a {@link HealthTracker} for metrics and diagnostics, from
 * {@link HealthTracker#snapshot()}. Immutable; fields read without a common lock, so under
 * concurrent change two fields may come from moments a few nanoseconds apart.
 *
 * @param panic whether the tracker is in panic mode
 * @param endpoints every member, in membership order
 */
public record HealthSnapshot(boolean panic, List<EndpointHealth> endpoints) {

  public HealthSnapshot {
    endpoints = List.copyOf(endpoints);
  }

  /**
   * One member's health.
   *
   * @param endpoint the member
   * @param available whether it may take traffic, ignoring panic mode
   * @param ejectedFor how long its outlier ejection still lasts; zero if not ejected
   * @param probeDown whether active probes hold it down
   * @param markedUnavailable the reason given to {@link HealthTracker#markUnavailable}, if marked
   * @param consecutiveFailures failed calls in a row since the last success or ejection
   * @param ejectionMultiplier the ejection backoff multiplier (0 when forgiven)
   * @param effectiveWeight the weight it carries now, slow start and its scale included
   */
  public record EndpointHealth(
      Endpoint endpoint,
      boolean available,
      Duration ejectedFor,
      boolean probeDown,
      Optional<String> markedUnavailable,
      int consecutiveFailures,
      int ejectionMultiplier,
      int effectiveWeight) {

    public EndpointHealth {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(ejectedFor, "ejectedFor");
      Objects.requireNonNull(markedUnavailable, "markedUnavailable");
    }
  }
}
