package io.lb4j.okhttp.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.lb4j.core.Endpoint;
import io.lb4j.core.HealthTracker;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.Ticker;
import io.lb4j.okhttp.LoadBalancingInterceptor;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Resilience4j circuit breaker per endpoint of one service, named {@code service/endpointId},
 * whose state feeds the service's {@link HealthTracker} as <em>soft</em> verdicts
 * ({@link HealthTracker#reportUnhealthy}) of a source unique to this instance,
 * {@value io.lb4j.okhttp.LoadBalancingInterceptor#CIRCUIT_BREAKER_MARK_SOURCE}{@code #n}: OPEN
 * reports the endpoint unhealthy, HALF_OPEN lifts the verdict so that the load balancer can pick
 * it for the probe calls, CLOSED keeps it lifted. Being soft, the verdicts count against the
 * tracker's max-ejection budget and yield to panic mode; when the tracker keeps an endpoint whose
 * breaker is open eligible anyway, {@link #tryAcquirePermission} lets its calls through, so that
 * the tracker's decision holds and a fleet-wide brownout never becomes an outage. Lifting touches
 * only this instance's verdict: an operator's drain, or another interceptor's breaker, stays.
 * Breakers are created on first use and dropped, from the registry too, when their endpoint leaves
 * the balancer's membership; an endpoint that comes back starts with a fresh, closed one.
 *
 * <p>Thread-safe. The transition listener runs on the thread that caused the transition (a call
 * recording an outcome, or Resilience4j's scheduler moving OPEN to HALF_OPEN).
 */
public final class EndpointBreakers {
  private static final Logger log = LoggerFactory.getLogger(EndpointBreakers.class);
  private static final String MARK_SOURCE = LoadBalancingInterceptor.CIRCUIT_BREAKER_MARK_SOURCE;
  private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final String service;
  private final CircuitBreakerRegistry registry;
  private final HealthTracker health;
  private final String source = MARK_SOURCE + "#" + INSTANCES.incrementAndGet();
  private final RateLimitedLog openWarnings;
  private final Map<String, Guard> byEndpointId = new ConcurrentHashMap<>();
  private final AutoCloseable membership;
  private volatile boolean closed;
  // Serializes a transition's check-and-mark with dropping the breaker, so that a dropped breaker
  // never marks its endpoint afterwards. Transitions and membership changes are rare.
  private final Object transitionLock = new Object();

  private record Guard(Endpoint endpoint, CircuitBreaker breaker) {}

  /** Breakers for {@code balancer}'s endpoints, each dropped when its endpoint leaves the balancer. */
  public EndpointBreakers(String service, CircuitBreakerRegistry registry, LoadBalancer balancer,
      Ticker ticker) {
    this.service = service;
    this.registry = registry;
    this.health = balancer.healthTracker();
    this.openWarnings = new RateLimitedLog(WARN_INTERVAL_NANOS, ticker);
    this.membership = balancer.subscribeMembership(this::retainMembers);
  }

  /**
   * The breakers that let no call through now (open or forced open), as endpoint id to state,
   * sorted by id: for error messages.
   */
  public Map<String, State> openBreakers() {
    Map<String, State> open = new TreeMap<>();
    for (Guard guard : byEndpointId.values()) {
      State state = guard.breaker().getState();
      if (state == State.OPEN || state == State.FORCED_OPEN) {
        open.put(guard.endpoint().id(), state);
      }
    }
    return open;
  }

  /**
   * Stops following the balancer's membership and the breakers' transitions, lifts the verdicts
   * the breakers reported (nobody would lift them afterwards) and drops every breaker from the
   * registry.
   * Idempotent.
   */
  public void close() {
    synchronized (transitionLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      membership.close();
    } catch (Exception e) {
      log.warn("service '{}': unsubscribing the circuit breakers from membership failed",
          service, e);
    }
    // The endpoints stay members, so nobody else would lift this instance's verdicts.
    for (Guard guard : byEndpointId.values()) {
      health.reportHealthy(guard.endpoint(), source, "circuit breakers closed with their interceptor");
    }
    retainMembers(List.of());
  }

  /**
   * Drops the breakers of endpoints no longer in {@code members}, from the registry too. Their
   * verdicts need no lifting: the tracker forgets a leaver's verdicts, and ignores any that a
   * racing transition reports once the endpoint has left.
   */
  private void retainMembers(List<Endpoint> members) {
    Set<String> ids = new HashSet<>(members.size() * 2);
    for (Endpoint member : members) {
      ids.add(member.id());
    }
    for (Guard guard : byEndpointId.values()) {
      Endpoint endpoint = guard.endpoint();
      if (ids.contains(endpoint.id())) {
        continue;
      }
      synchronized (transitionLock) {
        byEndpointId.remove(endpoint.id(), guard);
        registry.remove(guard.breaker().getName());
      }
      log.debug("service '{}': dropped the circuit breaker of {}, which left", service, endpoint.id());
    }
  }

  /** The breaker name for {@code endpoint}: {@code service/endpointId}. */
  public static String name(String service, Endpoint endpoint) {
    return service + "/" + endpoint.id();
  }

  /**
   * Asks {@code endpoint}'s breaker for permission to send one attempt. A breaker that refuses is
   * overruled when the tracker keeps the endpoint eligible despite the breaker's verdict (the
   * max-ejection budget is spent, or panic mode): the attempt then goes, without a permission to
   * give back, and its outcome is still recorded by the breaker.
   */
  public boolean tryAcquirePermission(Endpoint endpoint) {
    return of(endpoint).tryAcquirePermission() || health.isOverridden(endpoint, source);
  }

  /**
   * The breaker guarding {@code endpoint}, created on first use. Once closed, a breaker of its
   * own, in no registry and disabled: calls still in flight record into it, and leave no breaker
   * behind in the registry.
   */
  public CircuitBreaker of(Endpoint endpoint) {
    Guard guard = byEndpointId.get(endpoint.id());
    if (guard != null) {
      return guard.breaker();
    }
    if (closed) {
      return detached(endpoint);
    }
    guard = byEndpointId.computeIfAbsent(endpoint.id(), id -> create(endpoint));
    if (closed) {
      // Created while close() dropped the others: drop it too.
      retainMembers(List.of());
      return detached(endpoint);
    }
    return guard.breaker();
  }

  private CircuitBreaker detached(Endpoint endpoint) {
    CircuitBreaker breaker = CircuitBreaker.of(name(service, endpoint), registry.getDefaultConfig());
    breaker.transitionToDisabledState();
    return breaker;
  }

  private Guard create(Endpoint endpoint) {
    CircuitBreaker breaker = registry.circuitBreaker(name(service, endpoint));
    Guard guard = new Guard(endpoint, breaker);
    breaker.getEventPublisher().onStateTransition(
        event -> onTransition(guard, event.getStateTransition().getToState()));
    return guard;
  }

  private void onTransition(Guard guard, State to) {
    Endpoint endpoint = guard.endpoint();
    synchronized (transitionLock) {
      if (closed || byEndpointId.get(endpoint.id()) != guard) {
        return; // dropped with its endpoint or closed: a late outcome must not mark it
      }
      if (to == State.OPEN || to == State.FORCED_OPEN) {
        health.reportUnhealthy(endpoint, source, "circuit breaker open");
      } else {
        health.reportHealthy(endpoint, source, "circuit breaker " + to.name().toLowerCase(Locale.ROOT));
      }
    }
    if ((to == State.OPEN || to == State.FORCED_OPEN) && openWarnings.tryAcquire()) {
      log.warn("service '{}': circuit breaker of endpoint {} opened; it takes no traffic until a "
          + "half-open probe succeeds, unless the health tracker keeps it eligible (max-ejection "
          + "budget spent, or panic) (further openings are logged at most every 10 s)", service,
          endpoint.id());
    }
  }
}
