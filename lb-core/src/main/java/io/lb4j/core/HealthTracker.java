package io.lb4j.core;

import io.lb4j.core.ServerList.Subscription;
import io.lb4j.core.internal.Listeners;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one source of truth for "may this endpoint take traffic now". A {@link LoadBalancer} asks it
 * which members are eligible whenever it rebuilds its selector, feeds it every call's outcome, and
 * rebuilds when it publishes a change.
 *
 * <p>This version knows external verdicts only: {@link #markUnavailable} and {@link #markAvailable}
 * (used by circuit breakers and operators). Thread-safe; listeners are isolated from each other.
 */
public final class HealthTracker {
  private static final Logger log = LoggerFactory.getLogger(HealthTracker.class);

  private final Map<String, String> unavailable = new ConcurrentHashMap<>();
  private final Listeners<HealthTracker> listeners = new Listeners<>("health tracker");

  private HealthTracker() {}

  /** A tracker with default settings. */
  public static HealthTracker create() {
    return new HealthTracker();
  }

  /**
   * Records the outcome of one call to {@code endpoint}; called by {@link Pick#complete}.
   * Allocation-free unless it changes the endpoint's state.
   */
  public void recordOutcome(Endpoint endpoint, boolean success, long latencyNanos) {
    Objects.requireNonNull(endpoint, "endpoint");
  }

  /** Tells the tracker the current members, so it forgets those that left. */
  public void updateMembership(List<Endpoint> members) {
    Objects.requireNonNull(members, "members");
    unavailable.keySet().retainAll(members.stream().map(Endpoint::id).toList());
  }

  /**
   * The members that may take traffic now, in their given order; never null. May be empty if none
   * is available.
   */
  public List<Endpoint> eligible(List<Endpoint> members) {
    if (unavailable.isEmpty()) {
      return members;
    }
    List<Endpoint> eligible = new ArrayList<>(members.size());
    for (Endpoint member : members) {
      if (!unavailable.containsKey(member.id())) {
        eligible.add(member);
      }
    }
    return eligible;
  }

  /** The weight {@code endpoint} should carry now (its configured weight). */
  public int effectiveWeight(Endpoint endpoint) {
    return endpoint.weight();
  }

  /** Whether {@code endpoint} may take traffic now. */
  public boolean isAvailable(Endpoint endpoint) {
    return !unavailable.containsKey(endpoint.id());
  }

  /**
   * Marks {@code endpoint} unavailable until {@link #markAvailable} is called for it, for example
   * because its circuit breaker opened. Publishes a change if its state changed.
   */
  public void markUnavailable(Endpoint endpoint, String reason) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(reason, "reason");
    if (unavailable.put(endpoint.id(), reason) == null) {
      log.info("endpoint {} marked unavailable: {}", endpoint.id(), reason);
      listeners.publish(this);
    }
  }

  /** Lifts a {@link #markUnavailable} verdict. Publishes a change if its state changed. */
  public void markAvailable(Endpoint endpoint, String reason) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(reason, "reason");
    if (unavailable.remove(endpoint.id()) != null) {
      log.info("endpoint {} marked available: {}", endpoint.id(), reason);
      listeners.publish(this);
    }
  }

  /** Calls {@code onChange} after every change of eligibility, until the subscription is closed. */
  public Subscription subscribe(Runnable onChange) {
    Objects.requireNonNull(onChange, "onChange");
    return listeners.add(tracker -> onChange.run());
  }
}
