package io.lb4j.micrometer.internal;

import io.lb4j.core.HealthSnapshot.EndpointHealth;
import io.lb4j.core.HealthTracker;
import io.lb4j.core.LoadBalancer;
import java.util.function.BiPredicate;

/**
 * The states counted by the {@code lb.endpoints} gauge, each with how to count it from the
 * balancer. States overlap (an ejected endpoint may be marked too, and a ramping one is eligible),
 * so the counts do not add up to the membership. Counting takes a health snapshot: O(members) per
 * read, on the scraping thread, never on the pick path.
 */
public enum EndpointStateCount {
  /** Endpoints picks may go to now: the current selector's candidates (panic and zones applied). */
  ELIGIBLE("eligible", null),
  /** Taken out by passive outlier detection, for the rest of their ejection time. */
  EJECTED("ejected", (health, tracker) -> !health.ejectedFor().isZero()),
  /** Held down by failed active probes (counted even while the ejection budget overrides it). */
  PROBE_DOWN("probe_down", (health, tracker) -> health.probeDown()),
  /** Marked unavailable by at least one source (an operator's drain, a circuit breaker). */
  MARKED("marked", (health, tracker) -> !health.marks().isEmpty()),
  /**
   * Reported unhealthy by at least one detector, a soft verdict (counted even while the ejection
   * budget overrides it).
   */
  REPORTED("reported", (health, tracker) -> !health.verdicts().isEmpty()),
  /**
   * Wanted out by a probe or a detector, but kept in rotation by the max-ejection budget: the
   * verdict takes effect when a slot frees.
   */
  OVERRIDDEN("overridden", (health, tracker) -> health.overridden()),
  /** Ramping up after joining or coming back (slow start). */
  RAMPING("ramping", (health, tracker) -> tracker.isRamping(health.endpoint()));

  private final String tag;
  private final BiPredicate<EndpointHealth, HealthTracker> holds;

  /** @param holds whether a member is in this state; null for {@link #ELIGIBLE} */
  EndpointStateCount(String tag, BiPredicate<EndpointHealth, HealthTracker> holds) {
    this.tag = tag;
    this.holds = holds;
  }

  /** The value of the {@code state} tag. */
  public String tag() {
    return tag;
  }

  /** How many of {@code balancer}'s endpoints are in this state now. */
  public double count(LoadBalancer balancer) {
    if (holds == null) {
      return balancer.selector().candidates().size();
    }
    HealthTracker tracker = balancer.healthTracker();
    int count = 0;
    for (EndpointHealth health : tracker.snapshot().endpoints()) {
      if (holds.test(health, tracker)) {
        count++;
      }
    }
    return count;
  }
}
