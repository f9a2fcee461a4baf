package io.lb4j.core.internal.health;

import io.lb4j.core.Endpoint;
import io.lb4j.core.HealthEvent.Type;
import io.lb4j.core.HealthEvent;
import io.lb4j.core.HealthSnapshot.EndpointHealth;
import io.lb4j.core.HealthSnapshot;
import io.lb4j.core.Subscription;
import io.lb4j.core.internal.concurrent.Listeners;
import io.lb4j.core.internal.health.EndpointHealthState.Trip;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state and transitions behind {@link io.lb4j.core.HealthTracker}: per-member states, the
 * verdicts taken under one lock (eject, return, probe result, mark, ramp step, panic), the derived
 * state read without locks (weight scale, ejection budget, panic flag), and the listeners told
 * after each change. The tracker's Javadoc states the concurrency design; this class implements it.
 * Logs under the {@code io.lb4j.core.HealthTracker} logger, where users look for transitions.
 */
public final class HealthStateMachine {
  private static final Logger log = LoggerFactory.getLogger("io.lb4j.core.HealthTracker");
  private static final int WINDOW_BUCKETS = 10;

  private final HealthSettings settings;
  private final EjectionBackoff backoff;
  private final SlowStartRamp ramp;
  private final long bucketNanos;
  private final ActiveProber prober;
  private final Object lock = new Object();
  private final ConcurrentHashMap<String, EndpointHealthState> states = new ConcurrentHashMap<>();
  private final Listeners<HealthStateMachine> changeListeners = new Listeners<>("health tracker");
  private final Listeners<HealthEvent> eventListeners = new Listeners<>("health tracker events");
  private volatile List<EndpointHealthState> members = List.of();
  private volatile boolean panic;
  private volatile int weightScale = 1;
  private volatile int benchedCount;
  private volatile int ejectionBudget;
  private boolean started;
  private boolean closed;
  private long eventSequence;

  /** @param probes builds the prober that feeds this machine's probe results, or null for none */
  public HealthStateMachine(
      HealthSettings settings, Function<ActiveProber.Sink, ActiveProber> probes) {
    this.settings = settings;
    this.backoff = settings.backoff();
    this.ramp = settings.ramp();
    this.bucketNanos = Math.max(1, settings.failureRateWindowNanos() / WINDOW_BUCKETS);
    this.prober = probes == null ? null : probes.apply(this::onProbe);
  }

  /** Counts one call outcome: lock-free, allocation-free unless it ejects. */
  public void recordOutcome(Endpoint endpoint, boolean success) {
    EndpointHealthState state = states.get(endpoint.id());
    if (state == null) {
      return;
    }
    long now = settings.failureRatePercent() > 0 ? settings.ticker().read() : 0;
    Trip trip = state.record(
        success, now, settings.consecutiveFailures(), settings.failureRatePercent(),
        settings.failureRateMinRequests());
    if (trip != Trip.NONE) {
      eject(state, trip);
    }
  }

  /**
   * See {@link io.lb4j.core.HealthTracker#updateMembership(List, boolean)}: newcomers ramp unless
   * {@code initialSync}, or unless no non-empty membership came before.
   */
  public void updateMembership(List<Endpoint> members, boolean initialSync) {
    changeThenPublish(events -> {
      long now = settings.ticker().read();
      List<EndpointHealthState> next = new ArrayList<>(members.size());
      Set<String> ids = new HashSet<>(members.size() * 2);
      Set<EndpointHealthState> tracked = Collections.newSetFromMap(new IdentityHashMap<>());
      tracked.addAll(this.members);
      for (Endpoint endpoint : members) {
        ids.add(endpoint.id());
        EndpointHealthState state = states.get(endpoint.id());
        if (state == null || !tracked.contains(state)) {
          state = track(endpoint, state, now, started && !initialSync);
        }
        state.endpoint(endpoint);
        next.add(state);
      }
      states.values().removeIf(state -> {
        boolean gone = !ids.contains(state.endpoint().id());
        if (gone) {
          state.remove();
        }
        return gone;
      });
      this.members = List.copyOf(next);
      started |= !members.isEmpty();
      return true;
    });
  }

  private EndpointHealthState track(
      Endpoint endpoint, EndpointHealthState marked, long now, boolean ramps) {
    EndpointHealthState state = marked != null ? marked : newState(endpoint, now);
    states.put(endpoint.id(), state);
    if (ramps) {
      startRamp(state, now);
    }
    if (prober != null && !closed) {
      prober.start(state);
    }
    return state;
  }

  private EndpointHealthState newState(Endpoint endpoint, long now) {
    return new EndpointHealthState(endpoint, new FailureWindow(WINDOW_BUCKETS, bucketNanos), now);
  }

  /** See {@link io.lb4j.core.HealthTracker#eligible}. */
  public List<Endpoint> eligible(List<Endpoint> members) {
    int available = 0;
    for (Endpoint member : members) {
      if (isAvailable(member)) {
        available++;
      }
    }
    if (available == members.size()) {
      return members;
    }
    boolean panicking = inPanic(available, members.size());
    List<Endpoint> eligible = new ArrayList<>(members.size());
    for (Endpoint member : members) {
      EndpointHealthState state = states.get(member.id());
      if (state == null || state.available() || (panicking && !state.marked())) {
        eligible.add(member);
      }
    }
    return eligible;
  }

  private boolean inPanic(int available, int total) {
    return total > 0 && (long) available * 100 < (long) settings.panicThresholdPercent() * total;
  }

  /** See {@link io.lb4j.core.HealthTracker#effectiveWeight}. */
  public int effectiveWeight(Endpoint endpoint) {
    EndpointHealthState state = states.get(endpoint.id());
    int step = state == null ? SlowStartRamp.STEPS : state.rampStep();
    return ramp.weight(endpoint.weight(), weightScale, step);
  }

  /** See {@link io.lb4j.core.HealthTracker#isAvailable}. */
  public boolean isAvailable(Endpoint endpoint) {
    EndpointHealthState state = states.get(endpoint.id());
    return state == null || state.available();
  }

  /** See {@link io.lb4j.core.HealthTracker#isRamping}. */
  public boolean isRamping(Endpoint endpoint) {
    EndpointHealthState state = states.get(endpoint.id());
    return state != null && state.ramping();
  }

  /** See {@link io.lb4j.core.HealthTracker#isPanicking}. */
  public boolean isPanicking() {
    return panic;
  }

  /**
   * See {@link io.lb4j.core.HealthTracker#markUnavailable(Endpoint, String, String)}. Only the first
   * mark on an endpoint changes its eligibility, so only it publishes an event and a change; a
   * further source's mark is logged and shows in the snapshot.
   */
  public void markUnavailable(Endpoint endpoint, String source, String reason) {
    changeThenPublish(events -> {
      EndpointHealthState state = states.computeIfAbsent(
          endpoint.id(), id -> newState(endpoint, settings.ticker().read()));
      if (!state.marks().add(source, reason) || !isFirst(Hold.MARK, endpoint, state.marks(), source, reason)) {
        return false;
      }
      events.add(event(Type.MARKED_UNAVAILABLE, endpoint, source + ": " + reason));
      return true;
    });
  }

  /**
   * See {@link io.lb4j.core.HealthTracker#markAvailable(Endpoint, String, String)}. Lifting the last
   * mark publishes; lifting one of several is logged only, the endpoint staying out.
   */
  public void markAvailable(Endpoint endpoint, String source, String reason) {
    changeThenPublish(events -> {
      EndpointHealthState state = states.get(endpoint.id());
      if (state == null || !state.marks().lift(source)
          || !liftedLast(Hold.MARK, endpoint, state.marks(), source, reason, events)) {
        return false;
      }
      if (state.available()) {
        startOver(state, settings.ticker().read());
      }
      return true;
    });
  }

  /**
   * See {@link io.lb4j.core.HealthTracker#reportUnhealthy}. The first verdict on an endpoint puts it
   * out if the ejection budget allows; otherwise it stays eligible (logged once) until a slot frees.
   */
  public void reportUnhealthy(Endpoint endpoint, String source, String reason) {
    List<HealthEvent> events = new ArrayList<>(2);
    boolean changed;
    synchronized (lock) {
      EndpointHealthState state = memberState(endpoint);
      if (state == null || !state.verdicts().add(source, reason)
          || !isFirst(Hold.VERDICT, endpoint, state.verdicts(), source, reason)) {
        return;
      }
      changed = settle(events);
      if (state.benched()) {
        events.add(0, event(Type.REPORTED_UNHEALTHY, endpoint, source + ": " + reason));
        changed = true;
      } else if (!state.available()) {
        log.debug("endpoint {} stays out for other reasons", endpoint.id());
      } else {
        refuse(state, source + ": " + reason);
      }
    }
    publish(events, changed);
  }

  /**
   * See {@link io.lb4j.core.HealthTracker#reportHealthy}. Lifting the last verdict publishes;
   * lifting one of several is logged only.
   */
  public void reportHealthy(Endpoint endpoint, String source, String reason) {
    changeThenPublish(events -> {
      EndpointHealthState state = memberState(endpoint);
      return state != null && state.verdicts().lift(source)
          && liftedLast(Hold.VERDICT, endpoint, state.verdicts(), source, reason, events);
    });
  }

  /** The two kinds of per-source hold on an endpoint: operators' hard marks, detectors' soft verdicts. */
  private enum Hold {
    MARK("marked unavailable", "marked available", Type.MARKED_AVAILABLE),
    VERDICT("reported unhealthy", "reported healthy", Type.REPORTED_HEALTHY);

    final String held;
    final String lifted;
    final Type liftedLast;

    Hold(String held, String lifted, Type liftedLast) {
      this.held = held;
      this.lifted = lifted;
      this.liftedLast = liftedLast;
    }
  }

  /**
   * Whether {@code source}'s hold, just added to {@code holders}, is the first of its kind: only the
   * first changes eligibility, a further one is only logged.
   */
  private static boolean isFirst(Hold hold, Endpoint endpoint, SourceHolds holders,
      String source, String reason) {
    if (holders.asMap().size() > 1) {
      log.info("endpoint {} also {} by {}: {}", endpoint.id(), hold.held, source, reason);
      return false;
    }
    log.info("endpoint {} {} by {}: {}", endpoint.id(), hold.held, source, reason);
    return true;
  }

  /**
   * Whether the hold {@code source} just lifted was the last of its kind, {@code remaining} now
   * empty; then queues the event that says so. Lifting one of several is only logged.
   */
  private boolean liftedLast(Hold hold, Endpoint endpoint, SourceHolds remaining,
      String source, String reason, List<HealthEvent> events) {
    if (!remaining.isEmpty()) {
      log.info("endpoint {} no longer {} by {}: {}; still {} by {}", endpoint.id(), hold.held,
          source, reason, hold.held, remaining.asMap().keySet());
      return false;
    }
    log.info("endpoint {} {} by {}: {}", endpoint.id(), hold.lifted, source, reason);
    events.add(event(hold.liftedLast, endpoint, source + ": " + reason));
    return true;
  }

  /** See {@link io.lb4j.core.HealthTracker#isOverridden}. */
  public boolean isOverridden(Endpoint endpoint, String source) {
    EndpointHealthState state = states.get(endpoint.id());
    return state != null && state.verdicts().asMap().containsKey(source) && (!state.benched() || panic);
  }

  private EndpointHealthState memberState(Endpoint endpoint) {
    EndpointHealthState state = states.get(endpoint.id());
    return state == null || state.removed() || !members.contains(state) ? null : state;
  }

  private void eject(EndpointHealthState state, Trip trip) {
    if (!state.benched() && benchedCount >= ejectionBudget) {
      refuse(state, trip.toString());
      return;
    }
    List<HealthEvent> events;
    boolean changed;
    synchronized (lock) {
      if (state.removed() || state.ejected() || !members.contains(state)) {
        return; // a non-member known only through markUnavailable is never ejected
      }
      if (!state.benched() && benchedCount >= ejectionBudget) {
        refuse(state, trip.toString());
        return;
      }
      // Allocated only now: a refused or moot trip recurs on every further failure.
      events = new ArrayList<>(2);
      long now = settings.ticker().read();
      int multiplier = Math.min(backoff.maxMultiplier(),
          backoff.decayed(state.ejections(), now - state.healthySince()) + 1);
      long duration = backoff.durationNanos(multiplier);
      String detail = describe(trip, state, now) + ", ejected for " + Duration.ofNanos(duration)
          + " (ejection multiplier " + multiplier + ")";
      state.eject(now + duration, multiplier);
      log.info("endpoint {} ejected: {}", state.endpoint().id(), detail);
      events.add(event(Type.EJECTED, state.endpoint(), detail));
      changed = settle(events);
    }
    publish(events, changed);
  }

  private void refuse(EndpointHealthState state, String verdict) {
    if (state.noteRefusal()) {
      log.info("endpoint {} stays eligible despite {}: {} of {} members already out on automatic "
          + "verdicts, max ejection {}%", state.endpoint().id(), verdict, benchedCount,
          members.size(), settings.maxEjectionPercent());
    }
  }

  private String describe(Trip trip, EndpointHealthState state, long now) {
    if (trip == Trip.CONSECUTIVE_FAILURES) {
      return state.consecutiveFailures() + " consecutive failures";
    }
    FailureWindow window = state.window();
    return window.failures(now) + " failures in " + window.requests(now) + " requests (threshold "
        + settings.failureRatePercent() + "%)";
  }

  private void onProbe(EndpointHealthState state, boolean healthy, String detail) {
    changeThenPublish(events -> {
      if (state.removed() || closed) {
        return false;
      }
      if (!state.recordProbe(
          healthy, settings.healthyThreshold(), settings.unhealthyThreshold())) {
        log.debug("probe of {}: {}", state.endpoint().id(), detail);
        return false;
      }
      Endpoint endpoint = state.endpoint();
      if (healthy) {
        log.info("endpoint {} up: {} probes passed in a row", endpoint.id(), settings.healthyThreshold());
        events.add(event(Type.PROBE_UP, endpoint, detail));
      } else {
        log.info("endpoint {} down: {} probes failed in a row, last: {}",
            endpoint.id(), settings.unhealthyThreshold(), detail);
        events.add(event(Type.PROBE_DOWN, endpoint, detail));
      }
      return true;
    });
  }

  /** See {@link io.lb4j.core.HealthTracker#refresh}. */
  public void refresh() {
    List<HealthEvent> events = new ArrayList<>(0);
    boolean changed = false;
    synchronized (lock) {
      long now = settings.ticker().read();
      for (EndpointHealthState state : members) {
        if (state.ejected() && now - state.ejectedUntil() >= 0) {
          state.unEject(now);
          log.info("endpoint {} returned after ejection", state.endpoint().id());
          events.add(event(Type.RETURNED, state.endpoint(), "ejection time elapsed"));
        }
        if (state.ramping()) {
          changed |= state.rampTo(ramp.step(now - state.rampStart()));
        }
      }
      changed |= settle(events);
    }
    publish(events, changed);
  }

  private void startRamp(EndpointHealthState state, long now) {
    if (ramp.enabled()) {
      state.startRamp(now);
    }
  }

  /**
   * Recomputes the derived state (which soft verdicts are in force, weight scale, ejection budget,
   * panic flag), and starts over every endpoint that came back: fresh counters, a slow-start ramp.
   * Returns true if eligibility or weights changed. Every verdict and return goes through here, so
   * an endpoint comes back the same way whatever took it out.
   */
  private boolean settle(List<HealthEvent> events) {
    List<EndpointHealthState> current = members;
    long now = settings.ticker().read();
    boolean changed = applyBudget(current, now);
    int maxWeight = 1;
    int available = 0;
    boolean ramping = false;
    for (EndpointHealthState state : current) {
      maxWeight = Math.max(maxWeight, state.endpoint().weight());
      available += state.available() ? 1 : 0;
      ramping |= state.ramping();
    }
    int scale = ramping ? SlowStartRamp.scaleFor(maxWeight) : 1;
    changed |= scale != weightScale || !events.isEmpty();
    weightScale = scale;
    boolean panicking = inPanic(available, current.size());
    if (panicking != panic) {
      panic = panicking;
      changed = true;
      String detail = available + " of " + current.size() + " endpoints available, panic threshold "
          + settings.panicThresholdPercent() + "%";
      log.info(panicking ? "panic mode entered: {}; all endpoints eligible" : "panic mode left: {}",
          detail);
      events.add(panicEvent(panicking ? Type.PANIC_ENTERED : Type.PANIC_LEFT, detail));
    }
    return changed;
  }

  /**
   * Keeps in force the soft verdicts already in force, then puts pending ones in force in member
   * order while the budget allows: all automatic verdicts together take out at most the budget.
   * Returns true if any endpoint went out or came back.
   */
  private boolean applyBudget(List<EndpointHealthState> current, long now) {
    int budget = (int) ((long) current.size() * settings.maxEjectionPercent() / 100);
    boolean changed = false;
    int benched = 0;
    for (EndpointHealthState state : current) {
      if (state.benched()) {
        benched++;
      } else if (!state.softlyRemoved()) {
        changed |= comeBackIfOut(state, now);
      }
    }
    for (EndpointHealthState state : current) {
      if (benched >= budget) {
        break;
      }
      if (state.softlyRemoved() && !state.benched()) {
        state.bench(true);
        benched++;
        changed = true;
      }
    }
    ejectionBudget = budget;
    benchedCount = benched;
    return changed;
  }

  /** Un-benches an endpoint whose soft verdicts all ended; if it is back, it starts over. */
  private boolean comeBackIfOut(EndpointHealthState state, long now) {
    boolean wasOut = state.wasBenched();
    state.bench(false);
    if (wasOut && state.available()) {
      startOver(state, now);
    }
    return wasOut;
  }

  /**
   * A returning endpoint starts with fresh counters (late failures of calls sent before it went
   * out must not send it straight back out) and ramps up.
   */
  private void startOver(EndpointHealthState state, long now) {
    state.resetCounters();
    startRamp(state, now);
  }

  /** One change to the health state, made under the lock. */
  @FunctionalInterface
  private interface Change {
    /** Queues its events; returns false if it changed nothing, so that nothing is settled. */
    boolean apply(List<HealthEvent> events);
  }

  /**
   * Applies {@code change} under the lock and, if it changed anything, settles the derived state
   * there, then tells the listeners outside the lock: the order every change follows.
   */
  private void changeThenPublish(Change change) {
    List<HealthEvent> events = new ArrayList<>(2);
    boolean changed;
    synchronized (lock) {
      if (!change.apply(events)) {
        return;
      }
      changed = settle(events);
    }
    publish(events, changed);
  }

  private void publish(List<HealthEvent> events, boolean changed) {
    for (HealthEvent event : events) {
      eventListeners.publish(event);
    }
    if (changed) {
      changeListeners.publish(this);
    }
  }

  /** See {@link io.lb4j.core.HealthTracker#subscribe}. */
  public Subscription subscribe(Runnable onChange) {
    return changeListeners.add(machine -> onChange.run());
  }

  /** See {@link io.lb4j.core.HealthTracker#subscribeEvents}. */
  public Subscription subscribeEvents(Consumer<? super HealthEvent> listener) {
    return eventListeners.add(listener);
  }

  /** See {@link io.lb4j.core.HealthTracker#snapshot}. */
  public HealthSnapshot snapshot() {
    long now = settings.ticker().read();
    List<EndpointHealth> endpoints = new ArrayList<>();
    for (EndpointHealthState state : members) {
      Endpoint endpoint = state.endpoint();
      boolean ejected = state.ejected();
      int multiplier = ejected ? state.ejections()
          : backoff.decayed(state.ejections(), now - state.healthySince());
      endpoints.add(new EndpointHealth(endpoint, state.available(),
          ejected ? Duration.ofNanos(Math.max(0, state.ejectedUntil() - now)) : Duration.ZERO,
          state.probeDown(), state.verdicts().asMap(), state.softlyRemoved() && !state.benched(),
          state.marks().asMap(),
          state.consecutiveFailures(), multiplier, effectiveWeight(endpoint)));
    }
    return new HealthSnapshot(panic, endpoints);
  }

  /** Stops probes; later probe results are ignored. Idempotent. */
  public void close() {
    synchronized (lock) {
      closed = true;
      for (EndpointHealthState state : states.values()) {
        state.remove();
      }
    }
  }

  @Override
  public String toString() {
    return members.size() + " members, " + benchedCount + " out on automatic verdicts"
        + (panic ? ", panic" : "");
  }

  /** An event numbered in decision order; call under the lock. */
  private HealthEvent event(Type type, Endpoint endpoint, String detail) {
    return new HealthEvent(type, Optional.of(endpoint), detail, ++eventSequence);
  }

  /** A panic event numbered in decision order; call under the lock. */
  private HealthEvent panicEvent(Type type, String detail) {
    return new HealthEvent(type, Optional.empty(), detail, ++eventSequence);
  }
}
