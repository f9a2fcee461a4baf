package io.lb4j.core;

import com.github.benmanes.caffeine.cache.Ticker;
import io.lb4j.core.NoEndpointAvailableException.Reason;
import io.lb4j.core.ServerList.Subscription;
import io.lb4j.core.internal.Arguments;
import io.lb4j.core.internal.Listeners;
import io.lb4j.core.internal.ZonePreference;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 * (slow start) from {@link HealthTracker#effectiveWeight}. With {@link Builder#subsetting
 * subsetting}, all of this applies to the client's subset of the members only.
 *
 * <p>Thread-safe. {@link #pick} allocates only the returned {@link Pick} handle (and an exception
 * when nothing can be picked). {@link #close()} stops listening to the server list and tracker,
 * and closes the tracker if the builder created it.
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
  private final Object rebuildLock = new Object();
  private final Map<String, EndpointStats> statsById = new ConcurrentHashMap<>();
  private final Listeners<List<Endpoint>> membershipListeners =
      new Listeners<>("load balancer membership");

  private volatile List<Endpoint> members = List.of();
  private volatile Selector selector;
  private final Subscription healthSubscription;
  private final Subscription membershipSubscription;
  private final Subscription subsettingSubscription;

  private LoadBalancer(Builder builder, HealthTracker health, boolean ownsHealth) {
    this.name = builder.name;
    this.algorithm = builder.algorithm;
    this.health = health;
    this.ownsHealth = ownsHealth;
    this.zones = new ZonePreference(builder.name, builder.localZone,
        builder.localZoneMinHealthyPercent, builder.localZoneMinHealthy);
    this.ticker = builder.ticker;
    this.random = builder.random;
    this.latencyDecay = builder.latencyDecay;
    this.subsetting = builder.subsetting;
    synchronized (rebuildLock) {
      this.selector = algorithm.newSelector(candidatesOf(List.of()));
    }
    this.healthSubscription = health.subscribe(this::rebuild);
    this.membershipSubscription = builder.serverList.subscribe(this::onMembership);
    this.subsettingSubscription = subsetting == null ? () -> { } : subsetting.subscribe(this::rebuild);
  }

  /** A builder for a balancer over {@code serverList}. */
  public static Builder builder(ServerList serverList) {
    return new Builder(serverList);
  }

  /**
   * Picks an endpoint for one attempt and counts it in flight until {@link Pick#complete} or
   * {@link Pick#cancel}.
   *
   * @throws NoEndpointAvailableException if the list is empty, no endpoint is healthy, or all
   *     eligible ones are excluded by {@code context}
   */
  public Pick pick(PickContext context) {
    Objects.requireNonNull(context, "context");
    Selector current = selector;
    Candidates candidates = current.candidates();
    if (candidates.isEmpty()) {
      throw nothingEligible();
    }
    int index = current.selectIndex(context);
    EndpointStats stats = candidates.stats(index);
    stats.start();
    return new Pick(candidates.endpoint(index), stats, health, ticker);
  }

  /** Picks with no key, no session and nothing excluded; see {@link #pick(PickContext)}. */
  public Pick pick() {
    return pick(NO_CONTEXT);
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

  /** The name given at build time, used in logs and errors. */
  public String name() {
    return name;
  }

  /** The algorithm given at build time. */
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

  /** The selector picks currently go through; its candidates are the eligible endpoints. */
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
    applyMembership(next);
    membershipListeners.publish(next);
  }

  private void applyMembership(List<Endpoint> next) {
    synchronized (rebuildLock) {
      Map<String, EndpointStats> kept = new HashMap<>(next.size() * 2);
      for (Endpoint endpoint : next) {
        EndpointStats stats = statsById.get(endpoint.id());
        kept.put(endpoint.id(), stats != null ? stats : EndpointStats.create(ticker, latencyDecay));
      }
      statsById.putAll(kept);
      statsById.keySet().retainAll(kept.keySet());
      members = next;
      health.updateMembership(next);
      rebuildLocked();
    }
  }

  private void rebuild() {
    synchronized (rebuildLock) {
      rebuildLocked();
    }
  }

  private void rebuildLocked() {
    List<Endpoint> subset = subsetting == null ? members : subsetting.subset(members, health::isAvailable);
    Candidates next = candidatesOf(zones.eligible(subset, health));
    Candidates previous = selector.candidates();
    if (sameEndpointsAndWeights(previous, next)) {
      return;
    }
    selector = algorithm.newSelector(next);
    log.debug("load balancer '{}' rebuilt its {} selector over {} of {} endpoints",
        name, algorithm.name(), next.size(), members.size());
  }

  private Candidates candidatesOf(List<Endpoint> eligible) {
    return Candidates.of(eligible, endpoint -> statsById.get(endpoint.id()), health::effectiveWeight,
        ticker, random);
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

  @Override
  public void close() {
    subsettingSubscription.close();
    membershipSubscription.close();
    healthSubscription.close();
    if (ownsHealth) {
      health.close();
    }
  }

  @Override
  public String toString() {
    return "LoadBalancer{" + name + ", " + algorithm.name() + ", " + selector.candidates().size()
        + "/" + members.size() + " eligible}";
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
    private Ticker ticker = Ticker.systemTicker();
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
     * tracker: it tracks one membership.
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

    /** Builds the balancer and its first selector. */
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
