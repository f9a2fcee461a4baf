package io.lb4j.core;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** Copies {@code endpoints} into an unmodifiable list (no null element). */
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
   * @param verdicts every detector reporting it unhealthy ({@link HealthTracker#reportUnhealthy}),
   *     with its reason, in reporting order; empty if none
   * @param overridden whether an automatic verdict (ejection aside, which is refused instead:
   *     probes down, a detector's report) wants it out but the max-ejection budget keeps it in
   * @param marks every source marking it unavailable ({@link HealthTracker#markUnavailable}), with
   *     its reason, in marking order; empty if none
   * @param consecutiveFailures failed calls in a row since the last success or ejection
   * @param ejectionMultiplier the ejection backoff multiplier (0 when forgiven)
   * @param effectiveWeight the weight it carries now, slow start and its scale included
   */
  public record EndpointHealth(
      Endpoint endpoint,
      boolean available,
      Duration ejectedFor,
      boolean probeDown,
      Map<String, String> verdicts,
      boolean overridden,
      Map<String, String> marks,
      int consecutiveFailures,
      int ejectionMultiplier,
      int effectiveWeight) {

    /**
     * Copies the maps into unmodifiable ones.
     *
     * @throws NullPointerException if {@code endpoint}, {@code ejectedFor}, {@code verdicts} or
     *     {@code marks} is null
     */
    public EndpointHealth {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(ejectedFor, "ejectedFor");
      Objects.requireNonNull(verdicts, "verdicts");
      Objects.requireNonNull(marks, "marks");
      verdicts = Collections.unmodifiableMap(new LinkedHashMap<>(verdicts));
      marks = Collections.unmodifiableMap(new LinkedHashMap<>(marks));
    }

    /** The reasons of every mark, joined by "; " in marking order; empty if not marked. */
    public Optional<String> markedUnavailable() {
      return marks.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", marks.values()));
    }
  }
}
