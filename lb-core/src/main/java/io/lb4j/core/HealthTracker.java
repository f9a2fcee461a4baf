package io.lb4j.core;

import com.github.benmanes.caffeine.cache.Ticker;
import io.lb4j.core.HealthEvent.Type;
import io.lb4j.core.HealthSnapshot.EndpointHealth;
import io.lb4j.core.ServerList.Subscription;
import io.lb4j.core.internal.ActiveProber;
import io.lb4j.core.internal.EjectionBackoff;
import io.lb4j.core.internal.EndpointHealthState;
import io.lb4j.core.internal.EndpointHealthState.Trip;
import io.lb4j.core.internal.FailureWindow;
import io.lb4j.core.internal.Listeners;
import io.lb4j.core.internal.SlowStartRamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one source of truth for "may this endpoint take traffic now". A {@link LoadBalancer} asks it
 * which members are eligible whenever it rebuilds its selector, feeds it every call's outcome, and
 * rebuilds when it publishes a change.
 *
 * <p>An endpoint is <em>available</em> unless one of these holds: passive outlier detection ejected
 * it (N consecutive failures, or a failure rate over a sliding window; ejections grow exponentially
 * when repeated and are capped as a share of the members), active {@link HealthCheck} probes hold
 * it down, or {@link #markUnavailable} (a circuit breaker, an operator) took it out. When fewer
 * than the panic threshold of members are available, {@link #eligible} returns every member not
 * marked unavailable (panic mode, as in Envoy): better to spread load over all than to crush the
 * few survivors. An endpoint that joins after the first non-empty membership, or comes back from
 * any of those states, ramps its {@link #effectiveWeight} up over the slow-start window; members
 * present at startup start at full weight.
 *
 * <p>Concurrency design: {@link #recordOutcome} runs on every call. It looks up the endpoint's
 * state (a concurrent-map read) and updates per-endpoint atomics and a ring of time buckets:
 * lock-free, and allocation-free unless the outcome trips an ejection. Every verdict (eject,
 * return, probe result, mark, ramp step, panic) is taken under one lock and written to volatile
 * fields, so {@link #eligible} and {@link #effectiveWeight} read without locking. Listeners are
 * called after the lock is released, isolated from one another; changes made concurrently on
 * different threads may reach them in either order, and the balancer always rebuilds from the
 * latest state. Time-driven changes (ejection expiry, slow-start steps) happen in {@link #refresh},
 * which a scheduler calls every {@link Builder#refreshInterval refresh interval} and tests call
 * directly with a fake {@link Ticker}.
 *
 * <p>Logging: every transition at INFO (ejection, return, probe up/down, mark, panic entered/left,
 * the first refused ejection); nothing per request. Thread-safe. {@link #close()} stops probes and
 * the refresh task, and shuts the scheduler down if the tracker created it.
 */
public final class HealthTracker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HealthTracker.class);
  private static final int WINDOW_BUCKETS = 10;
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final Ticker ticker;
  private final int consecutiveFailures;
  private final int failureRatePercent;
  private final int failureRateMinRequests;
  private final long bucketNanos;
  private final EjectionBackoff backoff;
  private final int maxEjectionPercent;
  private final int panicThresholdPercent;
  private final SlowStartRamp ramp;
  private final int healthyThreshold;
  private final int unhealthyThreshold;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final ActiveProber prober;
  private final ScheduledFuture<?> refreshTask;

  private final Object lock = new Object();
  private final ConcurrentHashMap<String, EndpointHealthState> states = new ConcurrentHashMap<>();
  private final Listeners<HealthTracker> changeListeners = new Listeners<>("health tracker");
  private final Listeners<HealthEvent> eventListeners = new Listeners<>("health tracker events");
  private volatile List<EndpointHealthState> members = List.of();
  private volatile boolean panic;
  private volatile int weightScale = 1;
  private volatile int ejectedCount;
  private volatile int ejectionBudget;
  private boolean started;
  private boolean closed;

  private HealthTracker(Builder builder) {
    this.ticker = builder.ticker;
    this.consecutiveFailures = builder.consecutiveFailures;
    this.failureRatePercent = builder.failureRatePercent;
    this.failureRateMinRequests = builder.failureRateMinRequests;
    this.bucketNanos = Math.max(1, builder.failureRateWindow.toNanos() / WINDOW_BUCKETS);
    this.backoff = new EjectionBackoff(
        builder.baseEjectionTime.toNanos(), builder.maxEjectionTime.toNanos());
    this.maxEjectionPercent = builder.maxEjectionPercent;
    this.panicThresholdPercent = builder.panicThresholdPercent;
    this.ramp = new SlowStartRamp(builder.slowStartWindow.toNanos(), builder.slowStartFloorPercent);
    this.healthyThreshold = builder.healthyThreshold;
    this.unhealthyThreshold = builder.unhealthyThreshold;
    this.ownsScheduler = builder.scheduler == null;
    this.scheduler = ownsScheduler ? newDaemonScheduler() : builder.scheduler;
    this.prober = builder.healthCheck == null ? null : new ActiveProber(builder.healthCheck,
        scheduler, builder.healthCheckInterval.toNanos(), builder.healthCheckTimeout.toNanos(),
        builder.healthCheckJitterPercent, builder.random, this::onProbe);
    long refresh = builder.refreshInterval.toNanos();
    this.refreshTask = scheduler.scheduleWithFixedDelay(
        this::refreshQuietly, refresh, refresh, TimeUnit.NANOSECONDS);
  }

  /** A tracker with every default; see {@link Builder}. Owns a daemon thread until closed. */
  public static HealthTracker create() {
    return builder().build();
  }

  /** A builder starting from the defaults documented on each of its setters. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Records the outcome of one call to {@code endpoint}; called by {@link Pick#complete}. Lock-free,
   * and allocation-free unless it ejects the endpoint. Outcomes of non-members are ignored.
   * {@code latencyNanos} is accepted for latency-based detection and not used yet.
   */
  public void recordOutcome(Endpoint endpoint, boolean success, long latencyNanos) {
    Objects.requireNonNull(endpoint, "endpoint");
    EndpointHealthState state = states.get(endpoint.id());
    if (state == null) {
      return;
    }
    long now = failureRatePercent > 0 ? ticker.read() : 0;
    Trip trip = state.record(
        success, now, consecutiveFailures, failureRatePercent, failureRateMinRequests);
    if (trip != Trip.NONE) {
      eject(state, trip);
    }
  }

  /** Tells the tracker the current members, so it tracks newcomers and forgets those that left. */
  public void updateMembership(List<Endpoint> members) {
    Objects.requireNonNull(members, "members");
    List<HealthEvent> events = new ArrayList<>(1);
    boolean changed;
    synchronized (lock) {
      long now = ticker.read();
      List<EndpointHealthState> next = new ArrayList<>(members.size());
      Set<String> ids = new HashSet<>(members.size() * 2);
      Set<EndpointHealthState> tracked = Collections.newSetFromMap(new IdentityHashMap<>());
      tracked.addAll(this.members);
      for (Endpoint endpoint : members) {
        ids.add(endpoint.id());
        EndpointHealthState state = states.get(endpoint.id());
        if (state == null || !tracked.contains(state)) {
          state = track(endpoint, state, now);
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
      changed = settle(events);
    }
    publish(events, changed);
  }

  private EndpointHealthState track(Endpoint endpoint, EndpointHealthState marked, long now) {
    EndpointHealthState state = marked != null ? marked : newState(endpoint, now);
    states.put(endpoint.id(), state);
    if (started) {
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

  /**
   * The members that may take traffic now, in their given order: the available ones, or in panic
   * mode every member not {@linkplain #markUnavailable marked unavailable}. Returns
   * {@code members} itself when all are available. Never null; empty only if nothing is eligible.
   */
  public List<Endpoint> eligible(List<Endpoint> members) {
    Objects.requireNonNull(members, "members");
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
      if (state == null || state.available() || (panicking && state.markedReason() == null)) {
        eligible.add(member);
      }
    }
    return eligible;
  }

  private boolean inPanic(int available, int total) {
    return total > 0 && (long) available * 100 < (long) panicThresholdPercent * total;
  }

  /**
   * The weight {@code endpoint} should carry now: its configured weight, lowered while it ramps up
   * after joining or recovering. While any member ramps, all weights are multiplied by a common
   * scale (see {@link Builder#slowStartWindow}), so compare weights with each other, not with
   * {@link Endpoint#weight()}. Changes only in {@link #refresh} and on state changes, which publish.
   */
  public int effectiveWeight(Endpoint endpoint) {
    EndpointHealthState state = states.get(endpoint.id());
    int step = state == null ? SlowStartRamp.STEPS : state.rampStep();
    return ramp.weight(endpoint.weight(), weightScale, step);
  }

  /**
   * Whether {@code endpoint} may take traffic now, ignoring panic mode: not ejected, not held down
   * by probes, not marked unavailable. Unknown endpoints are available.
   */
  public boolean isAvailable(Endpoint endpoint) {
    EndpointHealthState state = states.get(endpoint.id());
    return state == null || state.available();
  }

  /** Whether fewer than the panic threshold of members are available. */
  public boolean isPanicking() {
    return panic;
  }

  /**
   * Marks {@code endpoint} unavailable until {@link #markAvailable} is called for it, for example
   * because its circuit breaker opened. Publishes a change if its state changed. The mark holds in
   * panic mode too, and ends when the endpoint leaves the membership.
   */
  public void markUnavailable(Endpoint endpoint, String reason) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(reason, "reason");
    List<HealthEvent> events = new ArrayList<>(2);
    boolean changed;
    synchronized (lock) {
      EndpointHealthState state = states.computeIfAbsent(
          endpoint.id(), id -> newState(endpoint, ticker.read()));
      if (state.markedReason() != null) {
        return;
      }
      state.markedReason(reason);
      log.info("endpoint {} marked unavailable: {}", endpoint.id(), reason);
      events.add(HealthEvent.of(Type.MARKED_UNAVAILABLE, endpoint, reason));
      changed = settle(events);
    }
    publish(events, changed);
  }

  /** Lifts a {@link #markUnavailable} verdict. Publishes a change if its state changed. */
  public void markAvailable(Endpoint endpoint, String reason) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(reason, "reason");
    List<HealthEvent> events = new ArrayList<>(2);
    boolean changed;
    synchronized (lock) {
      EndpointHealthState state = states.get(endpoint.id());
      if (state == null || state.markedReason() == null) {
        return;
      }
      state.markedReason(null);
      log.info("endpoint {} marked available: {}", endpoint.id(), reason);
      events.add(HealthEvent.of(Type.MARKED_AVAILABLE, endpoint, reason));
      startRampIfBack(state, ticker.read());
      changed = settle(events);
    }
    publish(events, changed);
  }

  private void eject(EndpointHealthState state, Trip trip) {
    if (ejectedCount >= ejectionBudget) {
      refuse(state, trip);
      return;
    }
    List<HealthEvent> events = new ArrayList<>(2);
    boolean changed;
    synchronized (lock) {
      if (state.removed() || state.ejected()) {
        return;
      }
      if (ejectedCount >= ejectionBudget) {
        refuse(state, trip);
        return;
      }
      long now = ticker.read();
      int multiplier = Math.min(backoff.maxMultiplier(),
          backoff.decayed(state.ejections(), now - state.healthySince()) + 1);
      long duration = backoff.durationNanos(multiplier);
      String detail = describe(trip, state, now) + ", ejected for " + Duration.ofNanos(duration)
          + " (ejection multiplier " + multiplier + ")";
      state.eject(now + duration, multiplier);
      log.info("endpoint {} ejected: {}", state.endpoint().id(), detail);
      events.add(HealthEvent.of(Type.EJECTED, state.endpoint(), detail));
      changed = settle(events);
    }
    publish(events, changed);
  }

  private void refuse(EndpointHealthState state, Trip trip) {
    if (state.noteRefusal()) {
      log.info("endpoint {} not ejected ({}): {} of {} members already ejected, max ejection {}%",
          state.endpoint().id(), trip, ejectedCount, members.size(), maxEjectionPercent);
    }
  }

  private String describe(Trip trip, EndpointHealthState state, long now) {
    if (trip == Trip.CONSECUTIVE_FAILURES) {
      return state.consecutiveFailures() + " consecutive failures";
    }
    FailureWindow window = state.window();
    return window.failures(now) + " failures in " + window.requests(now) + " requests (threshold "
        + failureRatePercent + "%)";
  }

  private void onProbe(EndpointHealthState state, boolean healthy, String detail) {
    List<HealthEvent> events = new ArrayList<>(2);
    boolean changed;
    synchronized (lock) {
      if (state.removed() || closed) {
        return;
      }
      if (!state.recordProbe(healthy, healthyThreshold, unhealthyThreshold)) {
        log.debug("probe of {}: {}", state.endpoint().id(), detail);
        return;
      }
      Endpoint endpoint = state.endpoint();
      if (healthy) {
        log.info("endpoint {} up: {} probes passed in a row", endpoint.id(), healthyThreshold);
        events.add(HealthEvent.of(Type.PROBE_UP, endpoint, detail));
        startRampIfBack(state, ticker.read());
      } else {
        log.info("endpoint {} down: {} probes failed in a row, last: {}",
            endpoint.id(), unhealthyThreshold, detail);
        events.add(HealthEvent.of(Type.PROBE_DOWN, endpoint, detail));
      }
      changed = settle(events);
    }
    publish(events, changed);
  }

  /**
   * Applies the passage of time: returns endpoints whose ejection ran out, advances slow-start
   * ramps, and publishes if anything changed. Called periodically by the tracker's scheduler;
   * tests with a fake ticker call it directly.
   */
  public void refresh() {
    List<HealthEvent> events = new ArrayList<>(0);
    boolean changed = false;
    synchronized (lock) {
      long now = ticker.read();
      for (EndpointHealthState state : members) {
        if (state.ejected() && now - state.ejectedUntil() >= 0) {
          state.unEject(now);
          log.info("endpoint {} returned after ejection", state.endpoint().id());
          events.add(HealthEvent.of(Type.RETURNED, state.endpoint(), "ejection time elapsed"));
          startRampIfBack(state, now);
        }
        if (state.ramping()) {
          changed |= state.rampTo(ramp.step(now - state.rampStart()));
        }
      }
      changed |= settle(events);
    }
    publish(events, changed);
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      log.warn("health refresh failed; will retry at the next tick", e);
    }
  }

  private void startRampIfBack(EndpointHealthState state, long now) {
    if (state.available()) {
      startRamp(state, now);
    }
  }

  private void startRamp(EndpointHealthState state, long now) {
    if (ramp.enabled()) {
      state.startRamp(now);
    }
  }

  /** Recomputes the derived state (weight scale, ejection budget, panic); true if eligibility or weights changed. */
  private boolean settle(List<HealthEvent> events) {
    List<EndpointHealthState> current = members;
    int maxWeight = 1;
    int ejected = 0;
    int available = 0;
    boolean ramping = false;
    for (EndpointHealthState state : current) {
      maxWeight = Math.max(maxWeight, state.endpoint().weight());
      ejected += state.ejected() ? 1 : 0;
      available += state.available() ? 1 : 0;
      ramping |= state.ramping();
    }
    ejectedCount = ejected;
    ejectionBudget = (int) ((long) current.size() * maxEjectionPercent / 100);
    int scale = ramping ? SlowStartRamp.scaleFor(maxWeight) : 1;
    boolean changed = scale != weightScale || !events.isEmpty();
    weightScale = scale;
    boolean panicking = inPanic(available, current.size());
    if (panicking != panic) {
      panic = panicking;
      changed = true;
      String detail = available + " of " + current.size() + " endpoints available, panic threshold "
          + panicThresholdPercent + "%";
      log.info(panicking ? "panic mode entered: {}; all endpoints eligible" : "panic mode left: {}",
          detail);
      events.add(HealthEvent.panic(panicking ? Type.PANIC_ENTERED : Type.PANIC_LEFT, detail));
    }
    return changed;
  }

  private void publish(List<HealthEvent> events, boolean changed) {
    for (HealthEvent event : events) {
      eventListeners.publish(event);
    }
    if (changed) {
      changeListeners.publish(this);
    }
  }

  /** Calls {@code onChange} after every change of eligibility or weights, until the subscription is closed. */
  public Subscription subscribe(Runnable onChange) {
    Objects.requireNonNull(onChange, "onChange");
    return changeListeners.add(tracker -> onChange.run());
  }

  /** Delivers every {@link HealthEvent} to {@code listener}, until the subscription is closed. */
  public Subscription subscribeEvents(Consumer<? super HealthEvent> listener) {
    Objects.requireNonNull(listener, "listener");
    return eventListeners.add(listener);
  }

  /** The health of every member now, and the panic flag; for metrics. O(members). */
  public HealthSnapshot snapshot() {
    long now = ticker.read();
    List<EndpointHealth> endpoints = new ArrayList<>();
    for (EndpointHealthState state : members) {
      Endpoint endpoint = state.endpoint();
      boolean ejected = state.ejected();
      int multiplier = ejected ? state.ejections()
          : backoff.decayed(state.ejections(), now - state.healthySince());
      endpoints.add(new EndpointHealth(endpoint, state.available(),
          ejected ? Duration.ofNanos(Math.max(0, state.ejectedUntil() - now)) : Duration.ZERO,
          state.probeDown(), Optional.ofNullable(state.markedReason()),
          state.consecutiveFailures(), multiplier, effectiveWeight(endpoint)));
    }
    return new HealthSnapshot(panic, endpoints);
  }

  /**
   * Stops probes and periodic refreshes and, if the tracker created its scheduler, shuts it down.
   * Eligibility keeps answering from the last state. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      refreshTask.cancel(false);
      for (EndpointHealthState state : states.values()) {
        state.remove();
      }
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  private static ScheduledExecutorService newDaemonScheduler() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "lb4j-health-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    // Probe timeouts are cancelled on nearly every probe; drop them from the queue at once.
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  @Override
  public String toString() {
    return "HealthTracker{" + members.size() + " members, " + ejectedCount + " ejected"
        + (panic ? ", panic" : "") + "}";
  }

  /**
   * Configures a {@link HealthTracker}; not thread-safe. Every setter validates at once and fails
   * with {@link IllegalArgumentException} naming the field, the value and the bound, or
   * {@link NullPointerException} naming a missing value. Each setter's Javadoc gives its default and
   * why; the defaults follow Envoy's outlier detection where a client-side balancer has no reason
   * to differ.
   */
  public static final class Builder {
    private Ticker ticker = Ticker.systemTicker();
    private RandomSource random = RandomSource.threadLocal();
    private ScheduledExecutorService scheduler;
    private Duration refreshInterval = Duration.ofSeconds(1);
    private int consecutiveFailures = 5;
    private int failureRatePercent = 50;
    private int failureRateMinRequests = 20;
    private Duration failureRateWindow = Duration.ofSeconds(10);
    private Duration baseEjectionTime = Duration.ofSeconds(30);
    private Duration maxEjectionTime = Duration.ofSeconds(300);
    private int maxEjectionPercent = 50;
    private int panicThresholdPercent = 50;
    private HealthCheck healthCheck;
    private Duration healthCheckInterval = Duration.ofSeconds(5);
    private Duration healthCheckTimeout = Duration.ofSeconds(1);
    private int healthCheckJitterPercent = 15;
    private int healthyThreshold = 2;
    private int unhealthyThreshold = 3;
    private Duration slowStartWindow = Duration.ofSeconds(30);
    private int slowStartFloorPercent = 10;

    private Builder() {}

    /** The time source of every rule; default the system ticker. Tests inject a fake one. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** The source of probe jitter; default thread-local. */
    public Builder random(RandomSource random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The scheduler that runs probes and refreshes. Default: a single daemon thread created and
     * shut down by the tracker. A supplied scheduler is shared and never shut down by the tracker;
     * one thread serves many trackers, since probes never block it.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * How often {@link HealthTracker#refresh} runs: ejection expiry and slow-start steps are seen
     * at most this late. Default 1 s: a tenth of the default slow-start step (3 s), and negligible
     * next to a 30 s ejection.
     */
    public Builder refreshInterval(Duration interval) {
      this.refreshInterval = positive(interval, "refreshInterval");
      return this;
    }

    /**
     * Ejects an endpoint on its N-th failed call in a row; 0 disables the rule. Default 5, Envoy's
     * {@code consecutive_5xx}: one or two failures happen to healthy servers, five in a row rarely.
     */
    public Builder consecutiveFailures(int failures) {
      this.consecutiveFailures = atLeast(failures, 0, "consecutiveFailures");
      return this;
    }

    /**
     * Ejects an endpoint when at least this percentage of its calls failed over the failure-rate
     * window (given {@link #failureRateMinRequests} calls); 0 disables the rule. Default 50%, below
     * Envoy's and gRPC's failure-percentage threshold (85%): a client sees only its own share of an
     * endpoint's traffic, so it must act on a smaller sample, and an endpoint failing half of its
     * calls already costs more in retries than it serves. Catches the intermittent failures that
     * never make five in a row.
     */
    public Builder failureRateThreshold(int percent) {
      this.failureRatePercent = percent(percent, "failureRateThreshold");
      return this;
    }

    /**
     * The number of calls in the window below which the failure rate is not judged. Default 20:
     * a healthy endpoint with a 5% error rate reaches 50% failures in 20 calls with probability
     * about 10^-8, while a failing endpoint under modest traffic is caught within seconds. Envoy
     * and gRPC ask for 50 per 10 s sweep, judged on an aggregate of all traffic through a proxy.
     */
    public Builder failureRateMinRequests(int requests) {
      this.failureRateMinRequests = atLeast(requests, 1, "failureRateMinRequests");
      return this;
    }

    /**
     * The sliding window of the failure rate, kept as 10 buckets of a tenth each. Default 10 s,
     * Envoy's and gRPC's {@code interval}; unlike them, the rate is judged on every failed call over
     * the last 10 s rather than once per 10 s sweep.
     */
    public Builder failureRateWindow(Duration window) {
      this.failureRateWindow = positive(window, "failureRateWindow");
      return this;
    }

    /**
     * The first ejection's length; each repeated ejection doubles it up to
     * {@link #maxEjectionTime}, and the multiplier drops by one for each base time the endpoint
     * stays healthy. Default 30 s, Envoy's and gRPC's {@code base_ejection_time} (which grow it
     * linearly rather than doubling).
     */
    public Builder baseEjectionTime(Duration time) {
      this.baseEjectionTime = positive(time, "baseEjectionTime");
      return this;
    }

    /** The cap on an ejection's length, at least the base. Default 300 s, Envoy's and gRPC's. */
    public Builder maxEjectionTime(Duration time) {
      this.maxEjectionTime = positive(time, "maxEjectionTime");
      return this;
    }

    /**
     * The largest share of members that outlier detection may hold ejected at once; an ejection
     * that would exceed it is refused (logged once per endpoint). Rounded down: with the default,
     * 1 of 3 members, 5 of 10. Default 50%: Envoy's 10% assumes large fleets behind a proxy (and
     * Envoy ejects at least one host anyway), while client-side balancers often see 3 to 10
     * endpoints, where 10% would forbid every ejection. Active probes and marks are not capped;
     * panic mode guards against those taking too many out.
     */
    public Builder maxEjectionPercent(int percent) {
      this.maxEjectionPercent = percent(percent, "maxEjectionPercent");
      return this;
    }

    /**
     * When fewer than this percentage of members are available, {@link HealthTracker#eligible}
     * returns every member not marked unavailable: spreading load over all is better than crushing
     * the few left. 0 disables panic mode. Default 50%, Envoy's {@code healthy_panic_threshold}.
     */
    public Builder panicThreshold(int percent) {
      this.panicThresholdPercent = percent(percent, "panicThreshold");
      return this;
    }

    /**
     * Probes every member actively with {@code check}, e.g. {@link HealthCheck#tcpConnect()}.
     * Default none: passive detection only. Members start healthy; probes only take them down.
     */
    public Builder healthCheck(HealthCheck check) {
      this.healthCheck = Objects.requireNonNull(check, "healthCheck");
      return this;
    }

    /**
     * The time between the end of one probe of an endpoint and the start of the next, before
     * jitter. Default 5 s: a dead endpoint is found in about 15 s with the default unhealthy
     * threshold (passive detection usually finds it sooner), at one connection per 5 s per
     * endpoint and client.
     */
    public Builder healthCheckInterval(Duration interval) {
      this.healthCheckInterval = positive(interval, "healthCheckInterval");
      return this;
    }

    /**
     * How long a probe may take before it counts as failed; must be shorter than the interval.
     * Default 1 s (Kubernetes' probe default): a healthy endpoint accepts a connection in
     * milliseconds.
     */
    public Builder healthCheckTimeout(Duration timeout) {
      this.healthCheckTimeout = positive(timeout, "healthCheckTimeout");
      return this;
    }

    /**
     * Spreads each probe delay uniformly over interval ± this percentage, so that clients started
     * together do not probe in lockstep. 0 to 50. Default 15%.
     */
    public Builder healthCheckJitter(int percent) {
      if (percent < 0 || percent > 50) {
        throw new IllegalArgumentException("healthCheckJitter must be in [0, 50], was " + percent);
      }
      this.healthCheckJitterPercent = percent;
      return this;
    }

    /**
     * Passed probes in a row that bring a probed-down endpoint back. Default 2: one lucky probe of
     * a flapping endpoint is not enough.
     */
    public Builder healthyThreshold(int probes) {
      this.healthyThreshold = atLeast(probes, 1, "healthyThreshold");
      return this;
    }

    /**
     * Failed probes in a row that take an endpoint down. Default 3 (Kubernetes' failureThreshold):
     * one lost SYN or a GC pause does not eject.
     */
    public Builder unhealthyThreshold(int probes) {
      this.unhealthyThreshold = atLeast(probes, 1, "unhealthyThreshold");
      return this;
    }

    /**
     * The time over which an endpoint that joined or came back ramps from the floor to its full
     * weight, in 10 steps (3 s each by default), each publishing a change; Duration.ZERO disables
     * slow start. Members present when the tracker first sees a non-empty membership start at full
     * weight. Ramping applies to every weight-aware algorithm; to express fractions of weight 1,
     * all weights are multiplied by a common scale (10, less for weights above 1000) while any
     * endpoint ramps. Default 30 s: long enough for JIT warm-up and cold caches, the lower end of
     * AWS ALB's slow-start range (Envoy has no default).
     */
    public Builder slowStartWindow(Duration window) {
      Objects.requireNonNull(window, "slowStartWindow");
      if (window.isNegative()) {
        throw new IllegalArgumentException("slowStartWindow must be >= 0, was " + window);
      }
      this.slowStartWindow = window;
      return this;
    }

    /** The share of its weight a ramping endpoint starts with, 1 to 100. Default 10%, Envoy's {@code min_weight_percent}. */
    public Builder slowStartFloor(int percent) {
      if (percent < 1 || percent > 100) {
        throw new IllegalArgumentException("slowStartFloor must be in [1, 100], was " + percent);
      }
      this.slowStartFloorPercent = percent;
      return this;
    }

    /**
     * Builds the tracker and starts its refresh task (and probes, once members are known).
     *
     * @throws IllegalArgumentException if maxEjectionTime is below baseEjectionTime, or the
     *     health-check timeout is not below its interval
     */
    public HealthTracker build() {
      if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
        throw new IllegalArgumentException("maxEjectionTime must be >= baseEjectionTime ("
            + baseEjectionTime + "), was " + maxEjectionTime);
      }
      if (healthCheckTimeout.compareTo(healthCheckInterval) >= 0) {
        throw new IllegalArgumentException("healthCheckTimeout must be < healthCheckInterval ("
            + healthCheckInterval + "), was " + healthCheckTimeout);
      }
      return new HealthTracker(this);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0, was " + value);
      }
      return value;
    }

    private static int atLeast(int value, int min, String name) {
      if (value < min) {
        throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
      }
      return value;
    }

    private static int percent(int value, String name) {
      if (value < 0 || value > 100) {
        throw new IllegalArgumentException(name + " must be in [0, 100], was " + value);
      }
      return value;
    }
  }
}
