package io.lb4j.core;

import io.lb4j.core.NoEndpointAvailableException.Reason;
import io.lb4j.core.internal.Arguments;
import io.lb4j.core.internal.concurrent.Listeners;
import io.lb4j.core.internal.explain.PickCounters;
import io.lb4j.core.internal.explain.PickExplainer;
import io.lb4j.core.internal.membership.ZonePreference;
import io.lb4j.core.internal.select.ClosedSelector;
import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facade most users hold: a {@link ServerList}, a {@link HealthTracker}, an {@link Algorithm}
 * and per-endpoint {@link EndpointStats}, answering {@link #pick} for each attempt of each call.
 *
 * <p>Concurrency design: membership and health change rarely, picks happen constantly. The balancer
 * keeps one immutable {@link Selector} per (membership, health) state in a volatile field. A change
 * reported by the server list or the health tracker rebuilds it under a lock that only rebuilds
 * take (one writer at a time, always from the latest membership and health, so concurrent changes
 * coalesce correctly); a pick reads the field once and never waits. The first selector is built
 * eagerly in {@link Builder#build()}. A change that leaves the eligible endpoints and their weights
 * as they were publishes nothing. Stats live outside selectors, keyed by endpoint id, so an endpoint
 * that stays keeps its in-flight count and latency history across rebuilds.
 *
 * <p>Eligibility comes from the {@link HealthTracker} (outlier ejection, probes, marks, panic
 * mode) and, with a {@link Builder#localZone local zone}, from zone preference; effective weights
 * (slow start) from {@link HealthTracker#effectiveWeight} for algorithms that
 * {@linkplain Algorithm#rampsWeights ramp weights}; other algorithms, hash ones among them, see each
 * endpoint's configured weight, so slow start never moves their keys.
 *
 * <p>Readiness: endpoints that arrive while the server list is not yet {@linkplain
 * ServerList#isReady() ready} (its initial sync) start at full weight, as do those of the first
 * non-empty membership of a list that is ready at once; later arrivals ramp. {@link #whenReady()}
 * completes at the first non-empty membership of a ready list.
 *
 * <p>Selector builds: with a {@link MutableServerList}, a membership the algorithm cannot build a
 * selector for is refused before it is applied, and the writer gets the exception. A build that
 * fails anyway (another kind of list, or a health change) keeps the previous selector, is logged at
 * ERROR and shows in {@link #selectorBuildFailure()} until a build succeeds.
 *
 * <p>With {@link Builder#subsetting subsetting}, eligibility, zone preference and the algorithm
 * work on the client's subset of the members only.
 *
 * <p>Thread-safe. {@link #pick} allocates only the returned {@link Pick} handle (and an exception
 * when nothing can be picked). {@link #close()} stops listening to the server list and tracker,
 * closes the tracker if the builder created it, and makes every later pick fail with an
 * {@link IllegalStateException} naming the balancer.
 */
public final class LoadBalancer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LoadBalancer.class);
  private static final PickContext NO_CONTEXT = PickContext.create();

  private final String name;
  private final Algorithm algorithm;
  private final HealthTracker health;
  private final boolean ownsHealth;
  private final ZonePreference zones;
  private final Subsetting subsetting; // null: every member is a candidate
  private final Ticker ticker;
  private final RandomSource random;
  private final Duration latencyDecay;
  private final ServerList serverList;
  private final ClosedSelector closedSelector; // published by close()
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final Object rebuildLock = new Object();
  private final Map<String, LiveEndpointStats> statsById = new ConcurrentHashMap<>();
  private final PickCounters pickCounters = new PickCounters();
  private final Listeners<List<Endpoint>> membershipListeners =
      new Listeners<>("load balancer membership");

  private volatile List<Endpoint> members = List.of();
  private volatile Selector selector;
  private volatile RuntimeException selectorBuildFailure;
  // Written under rebuildLock before the closed selector is published, so a pick that sees that
  // selector sees this too; read by picks only when their selector has no candidates.
  private volatile boolean closed;
  // The selector a proposed membership was vetted with, until that membership is applied: when
  // every member is eligible at its configured weight (the usual case) it is the very selector to
  // publish, so a membership change builds once, not twice. Guarded by rebuildLock.
  private Selector vetted;
  private final Subscription healthSubscription;
  private final Subscription membershipSubscription;
  private final Subscription subsettingSubscription;

  private LoadBalancer(Builder builder, HealthTracker health, boolean ownsHealth) {
    this.name = builder.name;
    this.closedSelector = new ClosedSelector(builder.name);
    this.algorithm = Objects.requireNonNull(builder.algorithm.forBalancer(), "algorithm.forBalancer()");
    this.health = health;
    this.ownsHealth = ownsHealth;
    this.zones = new ZonePreference(builder.name, builder.localZone,
        builder.localZoneMinHealthyPercent, builder.localZoneMinHealthy);
    this.ticker = builder.ticker;
    this.random = builder.random;
    this.latencyDecay = builder.latencyDecay;
    this.serverList = builder.serverList;
    this.subsetting = builder.subsetting;
    health.claim(this);
    List<Subscription> opened = new ArrayList<>(3);
    try {
      synchronized (rebuildLock) {
        this.selector = algorithm.newSelector(candidatesOf(List.of()));
      }
      // Fails the build early, naming the reason, if the algorithm cannot serve the current list.
      vet(serverList.endpoints());
      opened.add(health.subscribe(this::rebuild));
      opened.add(serverList.subscribe(new ServerList.Listener() {
        @Override
        public void onChange(List<Endpoint> endpoints) {
          onMembership(endpoints);
        }

        @Override
        public void vet(List<Endpoint> proposed) {
          LoadBalancer.this.vet(proposed);
        }
      }));
      opened.add(subsetting == null ? () -> { } : subsetting.subscribe(this::rebuild));
    } catch (RuntimeException | Error e) {
      for (Subscription subscription : opened) {
        subscription.close();
      }
      health.release(this);
      throw e;
    }
    this.healthSubscription = opened.get(0);
    this.membershipSubscription = opened.get(1);
    this.subsettingSubscription = opened.get(2);
    serverList.whenReady().whenComplete((ok, failure) -> {
      if (failure != null) {
        ready.completeExceptionally(failure);
      } else {
        completeIfReady();
      }
    });
  }

  /** A builder for a balancer over {@code serverList}. */
  public static Builder builder(ServerList serverList) {
    return new Builder(serverList);
  }

  /**
   * Picks an endpoint for one attempt and counts it in flight until {@link Pick#complete} or
   * {@link Pick#cancel}. Take it in try-with-resources, so that {@link Pick#close()} cancels it
   * should the attempt end without either: {@code try (Pick pick = lb.pick(context)) { ... }}.
   *
   * @throws NoEndpointAvailableException if the list is empty, no endpoint is healthy, or all
   *     eligible ones are excluded by {@code context}
   * @throws IllegalStateException if the balancer is {@linkplain #close() closed}, naming it
   *     ({@code "load balancer 'orders' is closed"})
   * @throws NullPointerException if {@code context} is null
   */
  public Pick pick(PickContext context) {
    Objects.requireNonNull(context, "context");
    Selector current = selector;
    Candidates candidates = current.candidates();
    if (candidates.isEmpty()) {
      // A closed balancer's selector has no candidates, so this costs open picks nothing.
      if (closed) {
        throw closedRefusal();
      }
      throw refused(nothingEligible());
    }
    int index;
    try {
      index = current.selectIndex(context);
    } catch (NoEndpointAvailableException e) {
      throw refused(e);
    }
    LiveEndpointStats stats = candidates.liveStats(index);
    stats.start();
    pickCounters.picked();
    return new Pick(candidates.endpoint(index), stats, health, ticker);
  }

  /**
   * Picks with no key, no session and nothing excluded; see {@link #pick(PickContext)}.
   *
   * @throws NoEndpointAvailableException as {@link #pick(PickContext)} does
   * @throws IllegalStateException if the balancer is closed
   */
  public Pick pick() {
    return pick(NO_CONTEXT);
  }

  /**
   * Explains what {@link #pick(PickContext) pick(context)} would do now, without doing it: every
   * member with its health state, weight, in-flight count and latency estimate, which were not
   * candidates or were excluded by the context and why, the endpoint chosen and the rule that chose
   * it (e.g. {@code "P2C drew b3 and b7; b3 won: ..."}). Nothing is counted in
   * flight, no round-robin position advances, no sticky session is pinned. For randomized
   * algorithms the explanation draws from the balancer's random source like a pick, so it shows
   * one possible draw, not the one a concurrent pick makes. Picks that do not ask pay nothing.
   * O(members) and allocating: for diagnostics and debug logging, not for every call.
   *
   * <p>Algorithms outside lb4j's {@link Algorithms} say that they do not explain their choices.
   *
   * @throws IllegalStateException if the balancer is closed: it would pick nothing
   */
  public PickExplanation explain(PickContext context) {
    Objects.requireNonNull(context, "context");
    if (closed) {
      throw closedRefusal();
    }
    return PickExplainer.explain(name, algorithm.name(), members, health, zones.isEnabled(),
        selector, statsById::get, context, nothingEligible());
  }

  private IllegalStateException closedRefusal() {
    return closedSelector.refusal();
  }

  private NoEndpointAvailableException refused(NoEndpointAvailableException e) {
    pickCounters.refused(e.reason());
    return e;
  }

  /**
   * How many {@link #pick} calls returned an endpoint since the balancer was built: a monotonic
   * count for metrics, kept without locks or allocation on the pick path. A pick later given back
   * with {@link Pick#cancel()} still counts.
   */
  public long pickCount() {
    return pickCounters.pickedCount();
  }

  /**
   * How many {@link #pick} calls threw {@link NoEndpointAvailableException} with {@code reason}
   * since the balancer was built; monotonic, for metrics.
   */
  public long noEndpointCount(Reason reason) {
    return pickCounters.refusedCount(Objects.requireNonNull(reason, "reason"));
  }

  /**
   * Whether the balancer has a {@link Builder#localZone local zone} and its picks currently spill
   * over to all zones because too few local endpoints are available. False without a local zone.
   */
  public boolean isSpillingOver() {
    return zones.spillingOver();
  }

  private NoEndpointAvailableException nothingEligible() {
    List<Endpoint> current = members;
    if (current.isEmpty()) {
      return new NoEndpointAvailableException(Reason.EMPTY_LIST,
          "load balancer '" + name + "': the server list is empty");
    }
    return new NoEndpointAvailableException(Reason.ALL_UNHEALTHY,
        "load balancer '" + name + "': none of " + current.size() + " endpoints is available");
  }

  /**
   * A future that completes once the server list is {@linkplain ServerList#isReady() ready} and
   * the balancer has applied a non-empty membership of it; exceptionally if the list's own
   * {@link ServerList#whenReady()} fails (with its exception) or the balancer is closed first.
   * Each call returns a new future; completing or cancelling it affects nobody else.
   */
  public CompletableFuture<Void> whenReady() {
    return ready.copy();
  }

  private void completeIfReady() {
    if (!closed && !members.isEmpty() && serverList.isReady()) {
      ready.complete(null);
    }
  }

  /**
   * Why the latest selector build failed, if it did: picks then go on from the previous selector
   * until a later build succeeds, which clears it. Empty when the current selector is up to date.
   */
  public Optional<RuntimeException> selectorBuildFailure() {
    return Optional.ofNullable(selectorBuildFailure);
  }

  /** The name given at build time, used in logs and errors. */
  public String name() {
    return name;
  }

  /**
   * This balancer's instance of the algorithm given at build time: that algorithm itself, or, for
   * a stateful one such as sticky sessions, the instance of its own it got from {@link
   * Algorithm#forBalancer()}.
   */
  public Algorithm algorithm() {
    return algorithm;
  }

  /** The tracker deciding eligibility: the one given at build time, or the balancer's own. */
  public HealthTracker healthTracker() {
    return health;
  }

  /** The current members of the server list, healthy or not. */
  public List<Endpoint> endpoints() {
    return members;
  }

  /**
   * The selector picks currently go through; its candidates are the eligible endpoints. Once the
   * balancer is closed, a selector with no candidates whose every selection throws
   * {@link IllegalStateException} naming the balancer.
   */
  public Selector selector() {
    return selector;
  }

  /** The live stats of the member with {@code id}, if it is a member. */
  public Optional<EndpointStats> stats(String id) {
    return Optional.ofNullable(statsById.get(Objects.requireNonNull(id, "id")));
  }

  /**
   * Calls {@code listener} with the current members, then with the new members after every change
   * of the server list, once the balancer has applied it (stats, health tracking, selector), until
   * the subscription is closed: for state kept per endpoint beside the balancer, such as circuit
   * breakers, that must follow the membership. Changes are delivered on the thread that delivered
   * the server list's change, outside the balancer's lock, to each listener in isolation (one that
   * throws is logged). The first call, with the current members, runs on the subscribing thread
   * under the balancer's rebuild lock, so that no change slips between it and the registration;
   * a listener subscribing while a change is being applied may therefore see that snapshot twice.
   */
  public Subscription subscribeMembership(ServerList.Listener listener) {
    Objects.requireNonNull(listener, "listener");
    // Under the rebuild lock so that no change slips between the replay and the registration.
    synchronized (rebuildLock) {
      return membershipListeners.add(listener::onChange, members);
    }
  }

  private void onMembership(List<Endpoint> next) {
    // A delivery that was already on its way when the balancer closed changes nothing: queries
    // keep answering from the state at closing, and readiness is decided by close().
    synchronized (rebuildLock) {
      if (closed) {
        return;
      }
      applyMembership(next);
      completeIfReady();
    }
    membershipListeners.publish(next);
  }

  /**
   * Builds a selector over every endpoint of {@code proposed} at its configured weight, the largest
   * candidate set that membership can produce, and throws if the algorithm cannot.
   */
  private void vet(List<Endpoint> proposed) {
    synchronized (rebuildLock) {
      Candidates all = Candidates.of(proposed, this::statsOrFresh, Endpoint::weight, ticker, random);
      try {
        vetted = algorithm.newSelector(all);
      } catch (RuntimeException e) {
        vetted = null;
        throw new IllegalArgumentException("load balancer '" + name + "': " + algorithm.name()
            + " cannot serve " + proposed.size() + " endpoints " + ids(proposed) + ": "
            + e.getMessage(), e);
      }
    }
  }

  /** A member's stats; a newcomer's are those it was vetted with, so the vetted selector fits. */
  private LiveEndpointStats statsOrFresh(Endpoint endpoint) {
    LiveEndpointStats stats = statsById.get(endpoint.id());
    if (stats != null) {
      return stats;
    }
    Selector pending = vetted;
    int index = pending == null ? -1 : pending.candidates().indexOf(endpoint.id());
    return index >= 0 ? pending.candidates().liveStats(index)
        : LiveEndpointStats.create(ticker, latencyDecay);
  }

  private static List<String> ids(List<Endpoint> endpoints) {
    List<String> ids = new ArrayList<>(endpoints.size());
    for (Endpoint endpoint : endpoints) {
      ids.add(endpoint.id());
    }
    return ids;
  }

  private void applyMembership(List<Endpoint> next) {
    synchronized (rebuildLock) {
      Map<String, LiveEndpointStats> kept = new HashMap<>(next.size() * 2);
      for (Endpoint endpoint : next) {
        kept.put(endpoint.id(), statsOrFresh(endpoint));
      }
      statsById.putAll(kept);
      statsById.keySet().retainAll(kept.keySet());
      members = next;
      // Endpoints of the initial sync start at full weight: a registry adding them one by one is
      // still describing the fleet as it was, not a fleet that grows.
      try {
        // The tracker may publish a change here, rebuilding on this thread (the lock is reentrant).
        health.updateMembership(next, !serverList.isReady());
        rebuildLocked();
      } finally {
        vetted = null;
      }
    }
  }

  private void rebuild() {
    synchronized (rebuildLock) {
      rebuildLocked();
    }
  }

  private void rebuildLocked() {
    if (closed) {
      return; // a change delivered while closing must not bring back a selector
    }
    Selector prebuilt = vetted;
    List<Endpoint> subset =
        subsetting == null ? members : subsetting.subset(members, health::isAvailable);
    Candidates next = candidatesOf(zones.eligible(subset, health, health::eligible));
    Candidates previous = selector.candidates();
    if (sameEndpointsAndWeights(previous, next)) {
      selectorBuildFailure = null;
      return;
    }
    try {
      selector = prebuilt != null && sameEndpointsAndWeights(prebuilt.candidates(), next)
          ? prebuilt : algorithm.newSelector(next);
    } catch (RuntimeException e) {
      selectorBuildFailure = e;
      log.error("load balancer '{}' could not build its {} selector over {} endpoints {}; picks go "
          + "on from the previous selector", name, algorithm.name(), next.size(),
          ids(next.endpoints()), e);
      return;
    }
    selectorBuildFailure = null;
    log.debug("load balancer '{}' rebuilt its {} selector over {} of {} endpoints",
        name, algorithm.name(), next.size(), members.size());
  }

  private Candidates candidatesOf(List<Endpoint> eligible) {
    ToIntFunction<Endpoint> weights =
        algorithm.rampsWeights() ? health::effectiveWeight : Endpoint::weight;
    return Candidates.of(eligible, endpoint -> statsById.get(endpoint.id()), weights, ticker, random);
  }

  private static boolean sameEndpointsAndWeights(Candidates a, Candidates b) {
    if (a.size() != b.size() || !a.endpoints().equals(b.endpoints())) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.weight(i) != b.weight(i) || a.stats(i) != b.stats(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@link #close()} was called: picks are then refused. Lock-free; once true, stays true.
   */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Stops listening to the server list, the tracker and the subsetting peers, closes the tracker if
   * the builder created it (and frees a given one for another balancer), and fails
   * {@link #whenReady()} if it has not completed. From then on {@link #pick}, {@link #explain} and
   * the {@link #selector()} refuse with {@link IllegalStateException} naming the balancer, rather
   * than go on serving from the membership and health frozen at closing; picks made before go on
   * and may still be completed. Queries ({@link #endpoints()}, {@link #stats}, counters) keep
   * answering from the last state. Idempotent; thread-safe.
   */
  @Override
  public void close() {
    synchronized (rebuildLock) {
      if (closed) {
        return;
      }
      closed = true;
      selector = closedSelector;
    }
    subsettingSubscription.close();
    membershipSubscription.close();
    healthSubscription.close();
    ready.completeExceptionally(new IllegalStateException(
        "load balancer '" + name + "' was closed before its server list was ready"));
    health.release(this);
    if (ownsHealth) {
      health.close();
    }
  }

  @Override
  public String toString() {
    return "LoadBalancer{" + name + ", " + algorithm.name() + ", "
        + (closed ? "closed" : selector.candidates().size() + "/" + members.size() + " eligible")
        + "}";
  }

  /** Configures a {@link LoadBalancer}; not thread-safe. Every setter validates at once. */
  public static final class Builder {
    private final ServerList serverList;
    private String name = "default";
    private Algorithm algorithm = Algorithms.leastResponseTime();
    private HealthTracker health;
    private String localZone = "";
    private int localZoneMinHealthyPercent = 70;
    private int localZoneMinHealthy = 1;
    private Ticker ticker = Ticker.system();
    private RandomSource random = RandomSource.threadLocal();
    private Duration latencyDecay = EndpointStats.DEFAULT_DECAY;
    private Subsetting subsetting;

    private Builder(ServerList serverList) {
      this.serverList = Objects.requireNonNull(serverList, "serverList");
    }

    /** Names the balancer in logs and errors, typically the service name. Default "default". */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
      }
      this.name = name;
      return this;
    }

    /** The algorithm; see {@link Algorithms}. Default {@link Algorithms#leastResponseTime()}. */
    public Builder algorithm(Algorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    /**
     * The health tracker; default a new {@link HealthTracker#create()}, owned by the balancer and
     * closed with it. A supplied tracker is not closed by the balancer. Give each balancer its own
     * tracker: it tracks one membership, and {@link #build()} refuses a tracker that already
     * serves an open balancer.
     */
    public Builder healthTracker(HealthTracker health) {
      this.health = Objects.requireNonNull(health, "healthTracker");
      return this;
    }

    /**
     * Prefers endpoints whose {@link Endpoint#zone()} equals {@code zone} (the client's own zone):
     * picks go only to the local zone's available endpoints while enough of them are available
     * (see {@link #localZoneMinHealthyPercent} and {@link #localZoneMinHealthy}), and spill over to
     * the eligible endpoints of all zones otherwise. Endpoints with an empty zone are never local.
     * Default empty: no preference. Each switch is logged at INFO.
     */
    public Builder localZone(String zone) {
      this.localZone = Objects.requireNonNull(zone, "localZone");
      return this;
    }

    /**
     * The share of local-zone endpoints that must be available to keep traffic local, 0 to 100.
     * Default 70%, about 1/1.4: Envoy's locality weighting considers a locality fully usable while
     * its healthy share times the overprovisioning factor 1.4 reaches 100%. Below it, the survivors
     * would carry more than 1.4 times their normal load.
     */
    public Builder localZoneMinHealthyPercent(int percent) {
      this.localZoneMinHealthyPercent = Arguments.percent(percent, "localZoneMinHealthyPercent");
      return this;
    }

    /** The number of available local-zone endpoints needed to keep traffic local, at least 1. Default 1. */
    public Builder localZoneMinHealthy(int count) {
      this.localZoneMinHealthy = Arguments.atLeast(count, 1, "localZoneMinHealthy");
      return this;
    }

    /** The time source for latencies and stats; default the system ticker. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** The random source for randomized algorithms; default thread-local. */
    public Builder random(RandomSource random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Decay time of each endpoint's latency EWMA; default {@link EndpointStats#DEFAULT_DECAY}. */
    public Builder latencyDecay(Duration decay) {
      this.latencyDecay = Arguments.positive(decay, "latencyDecay");
      return this;
    }

    /**
     * Talks to a deterministic subset of the members rather than to all of them: the subset
     * (widened past unavailable members, see {@link Subsetting}) is what eligibility, zone
     * preference and the algorithm then work on. Default: every member is a candidate.
     */
    public Builder subsetting(Subsetting subsetting) {
      this.subsetting = Objects.requireNonNull(subsetting, "subsetting");
      return this;
    }

    /**
     * Builds the balancer and its first selector.
     *
     * @throws IllegalArgumentException if the algorithm cannot build a selector over the server
     *     list's current endpoints
     * @throws IllegalStateException if the supplied health tracker already serves another open
     *     balancer
     */
    public LoadBalancer build() {
      if (health != null) {
        return new LoadBalancer(this, health, false);
      }
      HealthTracker created = HealthTracker.create();
      try {
        return new LoadBalancer(this, created, true);
      } catch (RuntimeException | Error e) {
        created.close();
        throw e;
      }
    }
  }
}
