package io.lb4j.core;

import static io.lb4j.core.internal.Arguments.atLeast;
import static io.lb4j.core.internal.Arguments.nonNegative;
import static io.lb4j.core.internal.Arguments.percent;
import static io.lb4j.core.internal.Arguments.positive;

import io.lb4j.core.internal.concurrent.FallbackScheduler;
import io.lb4j.core.internal.concurrent.PeriodicTask;
import io.lb4j.core.internal.concurrent.SharedScheduler;
import io.lb4j.core.internal.health.ActiveProber;
import io.lb4j.core.internal.health.EjectionBackoff;
import io.lb4j.core.internal.health.HealthSettings;
import io.lb4j.core.internal.health.HealthStateMachine;
import io.lb4j.core.internal.health.SlowStartRamp;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one source of truth for "may this endpoint take traffic now". A {@link LoadBalancer} asks it
 * which members are eligible whenever it rebuilds its selector, feeds it every call's outcome, and
 * rebuilds when it publishes a change.
 *
 * <p>One eligibility model, with two kinds of removal:
 * <ul>
 *   <li><em>Soft</em>, automatic verdicts: passive outlier detection ejected the endpoint (N
 *       consecutive failures, or a failure rate over a sliding window; ejections grow exponentially
 *       when repeated), active {@link HealthCheck} probes hold it down, or an external detector such
 *       as a circuit breaker {@linkplain #reportUnhealthy reported} it unhealthy. All soft removals
 *       together take out at most {@link Builder#maxEjectionPercent} of the members: an ejection
 *       beyond it is refused, and a probe or detector verdict beyond it is recorded but left out
 *       of force (the endpoint stays eligible, shown as overridden in {@link #snapshot()}) until a
 *       slot frees. Panic mode overrides them all.
 *   <li><em>Hard</em>, deliberate marks: an operator's drain or a deployment tool
 *       {@linkplain #markUnavailable marks} the endpoint unavailable. Marks are not capped and hold
 *       in panic mode.
 * </ul>
 * Verdicts and marks are kept per source, and each source lifts only its own. An endpoint is
 * <em>available</em> when nothing takes it out. When fewer than the panic threshold of members are
 * available, the balancer picks among every member not marked (panic mode, as in Envoy): better
 * to spread load over all than to crush the few survivors, so a fleet-wide brownout degrades to
 * "send anyway", never to "send nowhere".
 *
 * <p>An endpoint that comes back from any removal starts over: its failure counters are cleared
 * (late failures of calls sent before it went out do not send it straight back) and its
 * {@link #effectiveWeight} ramps up over the slow-start window. So does an endpoint that joins,
 * except those of the first non-empty membership and those arriving during the server list's
 * initial sync ({@link ServerList#isReady()} still false), which start at full weight. The
 * {@link LoadBalancer} applies ramped weights only to algorithms where weight means share of
 * requests ({@link Algorithm#rampsWeights()}).
 *
 * <p>A tracker follows one membership: it serves one {@link LoadBalancer} at a time, and building
 * a second balancer over a tracker that serves an open one fails.
 *
 * <p>Concurrency design: recording an outcome runs on every call ({@link Pick#complete}). It looks up the endpoint's
 * state (a concurrent-map read) and updates per-endpoint atomics and a ring of time buckets:
 * lock-free, and allocation-free unless the outcome trips an ejection. Every verdict (eject,
 * return, probe result, mark, ramp step, panic) is taken under one lock and written to volatile
 * fields, so the balancer's eligible set and {@link #effectiveWeight} read without locking. Listeners are
 * called after the lock is released, isolated from one another; changes made concurrently on
 * different threads may reach them in either order, and the balancer always rebuilds from the
 * latest state. Time-driven changes (ejection expiry, slow-start steps) happen in {@link #refresh},
 * which a scheduler calls every {@link Builder#refreshInterval refresh interval} and tests call
 * directly with a fake {@link Ticker}.
 *
 * <p>Scheduling: refreshes and probes run on one daemon thread shared by every tracker in the JVM
 * ({@code lb4j-scheduler}, started with the first tracker), unless {@link Builder#scheduler} supplies
 * another. A refresh or probe that throws, even an {@link Error}, is logged and runs again at its
 * next interval; a supplied scheduler that was shut down before the tracker was closed is replaced
 * by the shared thread, with a warning. So periodic work ends only with {@link #close()}.
 *
 * <p>Logging: every transition at INFO (ejection, return, probe up/down, mark, panic entered/left,
 * the first refused ejection); nothing per request. Thread-safe. {@link #close()} stops probes and
 * the refresh task and releases the tracker from the scheduler's queue. The refresh task holds the
 * tracker weakly, so a tracker (and the balancer that owns it) dropped without being closed can
 * still be garbage-collected, and its refresh then stops; a tracker with active probes stays
 * reachable through them until closed.
 */
public final class HealthTracker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HealthTracker.class);

  private final HealthStateMachine machine;
  private final PeriodicTask refreshTask;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicReference<LoadBalancer> owner = new AtomicReference<>();

  private HealthTracker(Builder builder) {
    HealthSettings settings = new HealthSettings(builder.ticker, builder.consecutiveFailures,
        builder.failureRatePercent, builder.failureRateMinRequests,
        builder.failureRateWindow.toNanos(),
        new EjectionBackoff(builder.baseEjectionTime.toNanos(), builder.maxEjectionTime.toNanos()),
        builder.maxEjectionPercent, builder.panicThresholdPercent,
        new SlowStartRamp(builder.slowStartWindow.toNanos(), builder.slowStartFloorPercent),
        builder.healthyThreshold, builder.unhealthyThreshold);
    ScheduledExecutorService scheduler =
        builder.scheduler != null ? builder.scheduler : SharedScheduler.get();
    FallbackScheduler work = new FallbackScheduler(scheduler, "health tracker");
    HealthCheck check = builder.healthCheck;
    this.machine = new HealthStateMachine(settings, check == null ? null
        : sink -> new ActiveProber(check, work, builder.healthCheckInterval.toNanos(),
            builder.healthCheckTimeout.toNanos(), builder.healthCheckJitterPercent, builder.random,
            sink));
    this.refreshTask = PeriodicTask.whileReachable(work, machine, HealthStateMachine::refresh,
        builder.refreshInterval.toNanos(), "health refresh");
    refreshTask.start();
  }

  /**
   * A tracker with every default; see {@link Builder}. Its periodic work runs on the shared
   * scheduler thread until {@link #close()}.
   */
  public static HealthTracker create() {
    return builder().build();
  }

  /** A builder starting from the defaults documented on each of its setters. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Records the outcome of one call to {@code endpoint}; called by {@link Pick#complete}. Lock-free,
   * and allocation-free unless it ejects the endpoint. Outcomes of endpoints the tracker does not
   * know are ignored; a non-member it knows only through a mark is counted but never ejected.
   * {@code latencyNanos} is accepted for latency-based detection and not used yet.
   */
  void recordOutcome(Endpoint endpoint, boolean success, long latencyNanos) {
    machine.recordOutcome(Objects.requireNonNull(endpoint, "endpoint"), success);
  }

  /**
   * Tells the tracker the current members, so it tracks newcomers and forgets those that left.
   * Newcomers ramp up, unless this is the first non-empty membership the tracker sees.
   */
  void updateMembership(List<Endpoint> members) {
    updateMembership(members, false);
  }

  /**
   * As {@link #updateMembership(List)}; with {@code initialSync} true, the newcomers belong to the
   * server list's initial sync ({@link ServerList#isReady()} still false) and start at full weight:
   * a registry that reports the instances it already had one by one describes a fleet that was
   * already serving, not one that grows.
   */
  void updateMembership(List<Endpoint> members, boolean initialSync) {
    machine.updateMembership(Objects.requireNonNull(members, "members"), initialSync);
  }

  /**
   * The members that may take traffic now, in their given order: the available ones, or in panic
   * mode every member not {@linkplain #markUnavailable marked unavailable}. Returns
   * {@code members} itself when all are available. Never null; empty only if nothing is eligible.
   */
  List<Endpoint> eligible(List<Endpoint> members) {
    return machine.eligible(Objects.requireNonNull(members, "members"));
  }

  /**
   * The weight {@code endpoint} should carry now: its configured weight, lowered while it ramps up
   * after joining or recovering. While any member ramps, all weights are multiplied by a common
   * scale (see {@link Builder#slowStartWindow}), so compare weights with each other, not with
   * {@link Endpoint#weight()}. Changes only in {@link #refresh} and on state changes, which publish.
   */
  public int effectiveWeight(Endpoint endpoint) {
    return machine.effectiveWeight(endpoint);
  }

  /**
   * Whether {@code endpoint} may take traffic now, ignoring panic mode: no hard mark, and no soft
   * verdict in force (ejection, probes down, a detector's report within the max-ejection budget;
   * a verdict beyond the budget is overridden and leaves the endpoint available). Unknown
   * endpoints are available.
   */
  public boolean isAvailable(Endpoint endpoint) {
    return machine.isAvailable(endpoint);
  }

  /**
   * Whether {@code endpoint} is ramping up after joining or coming back (slow start): its
   * {@link #effectiveWeight} is below its full share until the ramp ends. False for unknown
   * endpoints and when slow start is off. Lock-free; for metrics and diagnostics.
   */
  public boolean isRamping(Endpoint endpoint) {
    return machine.isRamping(Objects.requireNonNull(endpoint, "endpoint"));
  }

  /** Whether fewer than the panic threshold of members are available. */
  public boolean isPanicking() {
    return machine.isPanicking();
  }

  /**
   * Marks {@code endpoint} unavailable, a <em>hard</em> removal, on behalf of {@code source} (an
   * operator's drain, a deployment tool) until that source calls {@link #markAvailable(Endpoint,
   * String, String)}. Automatic detectors such as circuit breakers use {@link #reportUnhealthy}
   * instead, so that panic mode and the ejection budget apply to them. There is no default source:
   * the source and the reason are both strings, and a form that took one of them alone would
   * be read with the other's meaning. The endpoint stays unavailable while any source marks it. A
   * source marking it again
   * changes nothing (its first reason stays). The first mark publishes a
   * {@link HealthEvent.Type#MARKED_UNAVAILABLE} event and a change; further sources' marks are
   * logged and shown in {@link #snapshot()}, and publish nothing, since eligibility does not
   * change. Marks hold in panic mode too, and end when the endpoint leaves the membership.
   *
   * @param endpoint the endpoint concerned
   * @param source who decides, e.g. {@code "operator"} or {@code "deploy-tool"}: the key that only
   *     this source's own lift removes; never blank
   * @param reason why, for the logs, the events and {@link #snapshot()}
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if {@code source} is blank
   */
  public void markUnavailable(Endpoint endpoint, String source, String reason) {
    machine.markUnavailable(Objects.requireNonNull(endpoint, "endpoint"), requireSource(source),
        Objects.requireNonNull(reason, "reason"));
  }

  /**
   * Lifts {@code source}'s mark on {@code endpoint}, if it has one; {@code reason} is logged. Only
   * lifting the last mark makes the endpoint available again (unless ejected or probed down) and
   * publishes a {@link HealthEvent.Type#MARKED_AVAILABLE} event and a change.
   *
   * @param endpoint the endpoint concerned
   * @param source who decides, e.g. {@code "operator"} or {@code "deploy-tool"}: the key that only
   *     this source's own lift removes; never blank
   * @param reason why, for the logs, the events and {@link #snapshot()}
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if {@code source} is blank
   */
  public void markAvailable(Endpoint endpoint, String source, String reason) {
    machine.markAvailable(Objects.requireNonNull(endpoint, "endpoint"), requireSource(source),
        Objects.requireNonNull(reason, "reason"));
  }

  /**
   * Reports a <em>soft</em> verdict of an external detector (typically a circuit breaker) on behalf
   * of {@code source}: {@code endpoint} should take no traffic until that source calls
   * {@link #reportHealthy}. Unlike a {@linkplain #markUnavailable mark}, the verdict is counted with
   * ejections and probes against {@link Builder#maxEjectionPercent} and is overridden by panic mode,
   * so detectors that all fire during a fleet-wide brownout cannot take every endpoint out. A
   * verdict beyond the budget is kept, logged once and shown as overridden in {@link #snapshot()};
   * it takes effect when a slot frees. Key {@code source} per detector instance (e.g. per
   * interceptor) so that two detectors over one balancer do not lift each other's verdicts. A
   * source reporting again changes nothing (its first reason stays). Verdicts on non-members are
   * ignored and end when the endpoint leaves the membership. The verdict that takes an endpoint
   * out publishes a {@link HealthEvent.Type#REPORTED_UNHEALTHY} event and a change.
   *
   * @param endpoint the endpoint concerned
   * @param source who decides, e.g. {@code "operator"} or {@code "deploy-tool"}: the key that only
   *     this source's own lift removes; never blank
   * @param reason why, for the logs, the events and {@link #snapshot()}
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if {@code source} is blank
   */
  public void reportUnhealthy(Endpoint endpoint, String source, String reason) {
    machine.reportUnhealthy(Objects.requireNonNull(endpoint, "endpoint"), requireSource(source),
        Objects.requireNonNull(reason, "reason"));
  }

  /**
   * Lifts {@code source}'s soft verdict on {@code endpoint}, if it has one; {@code reason} is
   * logged. Lifting the last verdict publishes a {@link HealthEvent.Type#REPORTED_HEALTHY} event
   * and, if that brings the endpoint back, a change (it then ramps up with fresh counters).
   *
   * @param endpoint the endpoint concerned
   * @param source who decides, e.g. {@code "operator"} or {@code "deploy-tool"}: the key that only
   *     this source's own lift removes; never blank
   * @param reason why, for the logs, the events and {@link #snapshot()}
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if {@code source} is blank
   */
  public void reportHealthy(Endpoint endpoint, String source, String reason) {
    machine.reportHealthy(Objects.requireNonNull(endpoint, "endpoint"), requireSource(source),
        Objects.requireNonNull(reason, "reason"));
  }

  /**
   * Whether {@code source} reports {@code endpoint} unhealthy but the tracker keeps it eligible
   * anyway, because the max-ejection budget is spent or because of panic mode: a detector that also
   * gates calls itself (a circuit breaker refusing permission) should then let them through, so
   * that the tracker's decision holds. False when the source has no verdict on the endpoint
   * (never reported, or lifted by anyone). Lock-free.
   */
  public boolean isOverridden(Endpoint endpoint, String source) {
    return machine.isOverridden(Objects.requireNonNull(endpoint, "endpoint"),
        Objects.requireNonNull(source, "source"));
  }

  /** Binds this tracker to {@code balancer}; see the class comment. */
  void claim(LoadBalancer balancer) {
    while (!owner.compareAndSet(null, balancer)) {
      LoadBalancer current = owner.get();
      if (current != null) {
        throw new IllegalStateException("health tracker already serves load balancer '"
            + current.name() + "'; give load balancer '" + balancer.name()
            + "' a tracker of its own: a tracker follows one membership");
      }
    }
  }

  /** Frees this tracker for another balancer once {@code balancer} closes. */
  void release(LoadBalancer balancer) {
    owner.compareAndSet(balancer, null);
  }

  private static String requireSource(String source) {
    Objects.requireNonNull(source, "source");
    if (source.isBlank()) {
      throw new IllegalArgumentException("source must not be blank, was '" + source + "'");
    }
    return source;
  }

  /**
   * Applies the passage of time: returns endpoints whose ejection ran out, advances slow-start
   * ramps, and publishes if anything changed. Called periodically by the tracker's scheduler;
   * tests with a fake ticker call it directly.
   */
  public void refresh() {
    machine.refresh();
  }

  /**
   * Calls {@code onChange} after every change of eligibility or weights, until the subscription is
   * closed. See {@link #subscribeEvents} for the thread it runs on.
   */
  public Subscription subscribe(Runnable onChange) {
    return machine.subscribe(Objects.requireNonNull(onChange, "onChange"));
  }

  /**
   * Delivers every {@link HealthEvent} to {@code listener}, until the subscription is closed.
   * Listeners run on the thread that made the change (a call completing, the scheduler, a marking
   * caller, a membership change), after the tracker's lock is released. A membership change reaches
   * the tracker while its {@link LoadBalancer} holds its rebuild lock (and a
   * {@link MutableServerList} its write lock), so a listener must not wait for another thread that
   * changes the membership or marks endpoints. Marking endpoints on the listener's own thread is
   * fine; changing the membership from a listener is not (see {@link MutableServerList}).
   */
  public Subscription subscribeEvents(Consumer<? super HealthEvent> listener) {
    return machine.subscribeEvents(Objects.requireNonNull(listener, "listener"));
  }

  /** The health of every member now, and the panic flag; for metrics. O(members). */
  public HealthSnapshot snapshot() {
    return machine.snapshot();
  }

  /**
   * Stops probes and periodic refreshes; never shuts down a scheduler (the shared one lives on, a
   * supplied one belongs to its owner). Eligibility keeps answering from the last state.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    refreshTask.stop();
    machine.close();
  }

  @Override
  public String toString() {
    return "HealthTracker{" + machine + "}";
  }

  /**
   * Configures a {@link HealthTracker}; not thread-safe. Every setter validates at once and fails
   * with {@link IllegalArgumentException} naming the field, the value and the bound, or
   * {@link NullPointerException} naming a missing value. Each setter's Javadoc gives its default and
   * why; the defaults follow Envoy's outlier detection where a client-side balancer has no reason
   * to differ.
   */
  public static final class Builder {
    private Ticker ticker = Ticker.system();
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
     * The scheduler that runs probes and refreshes. Default: the daemon thread {@code
     * lb4j-scheduler} that every tracker without a scheduler of its own shares, started with the
     * first one; one thread serves many trackers, since probes never block it. A supplied
     * scheduler is never shut down by the tracker; should its owner shut it down first, the
     * tracker's work moves to the shared thread, with a warning, rather than silently stopping.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * How often {@link HealthTracker#refresh} runs: ejection expiry and slow-start steps are seen
     * at most this late. Default 1 s: a third of the default slow-start step (3 s), and negligible
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
     * window (given {@link #failureRateMinRequests} calls), 0 to 100; 0 disables the rule. Default 50%, below
     * Envoy's and gRPC's failure-percentage threshold (85%): a client sees only its own share of an
     * endpoint's traffic, so it must act on a smaller sample, and an endpoint failing half of its
     * calls already costs more in retries than it serves. Catches the intermittent failures that
     * never make five in a row.
     */
    public Builder failureRateThresholdPercent(int percent) {
      this.failureRatePercent = percent(percent, "failureRateThresholdPercent");
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
     * The largest percentage of members, 0 to 100, that outlier detection may hold ejected at once;
     * an ejection that would exceed it is refused (logged once per endpoint). Rounded down: with the default,
     * 1 of 3 members, 5 of 10. Default 50%: Envoy's 10% assumes large fleets behind a proxy (and
     * Envoy ejects at least one host anyway), while client-side balancers often see 3 to 10
     * endpoints, where 10% would forbid every ejection. The cap counts every automatic verdict
     * together (ejections, probes down, detectors' {@linkplain HealthTracker#reportUnhealthy
     * reports}); hard marks are not capped.
     */
    public Builder maxEjectionPercent(int percent) {
      this.maxEjectionPercent = percent(percent, "maxEjectionPercent");
      return this;
    }

    /**
     * When fewer than this percentage of members are available, the balancer picks among every
     * member not marked unavailable: spreading load over all is better than crushing the few left. 0 to 100; 0 disables panic mode. Default 50%, Envoy's {@code healthy_panic_threshold}.
     */
    public Builder panicThresholdPercent(int percent) {
      this.panicThresholdPercent = percent(percent, "panicThresholdPercent");
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
    public Builder healthCheckJitterPercent(int percent) {
      this.healthCheckJitterPercent = percent(percent, 0, 50, "healthCheckJitterPercent");
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
     * slow start. Members present when the tracker first sees a non-empty membership, or arriving
     * during the server list's initial sync, start at full weight. Ramping applies to the
     * algorithms where weight means share of requests ({@link Algorithm#rampsWeights()}), never to
     * hash algorithms; to express fractions of weight 1, all weights are multiplied by a common
     * scale (10, less for weights above 1000) while any endpoint ramps. Default 30 s: long enough for JIT warm-up and cold caches, the lower end of
     * AWS ALB's slow-start range (Envoy has no default).
     */
    public Builder slowStartWindow(Duration window) {
      this.slowStartWindow = nonNegative(window, "slowStartWindow");
      return this;
    }

    /**
     * The percentage of its weight a ramping endpoint starts with, 1 to 100. Default 10%, Envoy's
     * {@code min_weight_percent}.
     */
    public Builder slowStartFloorPercent(int percent) {
      this.slowStartFloorPercent = percent(percent, 1, 100, "slowStartFloorPercent");
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
  }
}
