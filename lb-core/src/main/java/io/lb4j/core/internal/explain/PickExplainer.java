package io.lb4j.core.internal.explain;

import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointStats;
import io.lb4j.core.HealthSnapshot.EndpointHealth;
import io.lb4j.core.HealthSnapshot;
import io.lb4j.core.HealthTracker;
import io.lb4j.core.NoEndpointAvailableException;
import io.lb4j.core.PickContext;
import io.lb4j.core.PickExplanation.Member;
import io.lb4j.core.PickExplanation;
import io.lb4j.core.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds a {@link PickExplanation} for {@link io.lb4j.core.LoadBalancer#explain}: the members'
 * states from a health snapshot, their weights and load from the current selector's candidates,
 * and the decision from the selector if it is {@link Explainable}. Off the pick path; allocates.
 */
public final class PickExplainer {
  private PickExplainer() {}

  /**
   * @param zonePreference whether the balancer prefers a local zone
   * @param nothingEligible the exception a pick would throw when there is no candidate
   * @param statsById the live stats of a member, or null
   */
  public static PickExplanation explain(String balancer, String algorithm, List<Endpoint> members,
      HealthTracker health, boolean zonePreference, Selector selector, Function<String, EndpointStats> statsById,
      PickContext context, NoEndpointAvailableException nothingEligible) {
    Candidates candidates = selector.candidates();
    Optional<Endpoint> chosen = Optional.empty();
    String rule;
    if (candidates.isEmpty()) {
      rule = nothingEligible.getMessage();
    } else if (selector instanceof Explainable explainable) {
      try {
        Explainable.Decision decision = explainable.explain(context);
        if (decision.index() != Explainable.Decision.NOT_EXPLAINED) {
          chosen = Optional.of(candidates.endpoint(decision.index()));
        }
        rule = decision.rule();
      } catch (NoEndpointAvailableException e) {
        rule = e.getMessage();
      }
    } else {
      rule = "the " + algorithm + " algorithm's selector (" + selector.getClass().getName()
          + ") does not explain its choices";
    }
    HealthSnapshot snapshot = health.snapshot();
    Map<String, EndpointHealth> healthById = new HashMap<>();
    for (EndpointHealth endpointHealth : snapshot.endpoints()) {
      healthById.put(endpointHealth.endpoint().id(), endpointHealth);
    }
    List<Member> rows = new ArrayList<>(members.size());
    for (Endpoint member : members) {
      int index = candidates.indexOf(member.id());
      EndpointStats stats = statsById.apply(member.id());
      String state = stateOf(healthById.get(member.id()), index >= 0, health.isRamping(member),
          snapshot.panic(), zonePreference);
      rows.add(new Member(member, state, index >= 0, context.isExcluded(member),
          index >= 0 ? candidates.weight(index) : member.weight(),
          stats == null ? 0 : stats.inFlight(),
          Duration.ofNanos(stats == null ? 0 : (long) stats.latencyNanos())));
    }
    return new PickExplanation(balancer, algorithm, snapshot.panic(), rows, chosen, rule);
  }

  private static String stateOf(EndpointHealth health, boolean candidate, boolean ramping,
      boolean panic, boolean zonePreference) {
    String removal = health == null ? null : removalOf(health);
    if (removal != null) {
      return candidate && panic ? removal + " (panic: taken anyway)" : removal;
    }
    if (!candidate) {
      // Available yet not chosen among: zone preference, or a rebuild not published yet (or failed).
      return zonePreference ? "outside the local zone" : "not in the current selector";
    }
    return ramping ? "ramping" : "eligible";
  }

  /** Why the tracker holds the endpoint out, or null if it does not. */
  private static String removalOf(EndpointHealth health) {
    if (!health.marks().isEmpty()) {
      return "marked (" + reasons(health.marks()) + ")";
    }
    if (!health.ejectedFor().isZero()) {
      return "ejected for " + health.ejectedFor().toSeconds() + "s";
    }
    if (health.probeDown() && !health.overridden()) {
      return "probe down";
    }
    if (!health.verdicts().isEmpty() && !health.overridden()) {
      return "reported (" + reasons(health.verdicts()) + ")";
    }
    return null;
  }

  private static String reasons(Map<String, String> bySource) {
    StringBuilder out = new StringBuilder();
    bySource.forEach((source, reason) ->
        out.append(out.length() == 0 ? "" : "; ").append(source).append(": ").append(reason));
    return out.toString();
  }
}
