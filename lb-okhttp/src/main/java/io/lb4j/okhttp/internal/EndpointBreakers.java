package io.lb4j.okhttp.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.lb4j.core.Endpoint;
import io.lb4j.core.HealthTracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Resilience4j circuit breaker per endpoint of one service, named {@code service/endpointId},
 * whose state feeds the service's {@link HealthTracker}: OPEN takes the endpoint out of rotation,
 * HALF_OPEN puts it back so that the load balancer can pick it for the probe calls, CLOSED keeps it
 * in. Breakers are created on first use and live as long as the registry.
 *
 * <p>Thread-safe. The transition listener runs on the thread that caused the transition (a call
 * recording an outcome, or Resilience4j's scheduler moving OPEN to HALF_OPEN).
 */
public final class EndpointBreakers {
  private static final Logger log = LoggerFactory.getLogger(EndpointBreakers.class);
  private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final String service;
  private final CircuitBreakerRegistry registry;
  private final HealthTracker health;
  private final RateLimitedLog openWarnings;
  private final Map<String, CircuitBreaker> byEndpointId = new ConcurrentHashMap<>();

  public EndpointBreakers(String service, CircuitBreakerRegistry registry, HealthTracker health, Ticker ticker) {
    this.service = service;
    this.registry = registry;
    this.health = health;
    this.openWarnings = new RateLimitedLog(WARN_INTERVAL_NANOS, ticker);
  }

  /** The breaker name for {@code endpoint}: {@code service/endpointId}. */
  public static String name(String service, Endpoint endpoint) {
    return service + "/" + endpoint.id();
  }

  /** The breaker guarding {@code endpoint}, created on first use. */
  public CircuitBreaker of(Endpoint endpoint) {
    CircuitBreaker breaker = byEndpointId.get(endpoint.id());
    return breaker != null ? breaker : byEndpointId.computeIfAbsent(endpoint.id(), id -> create(endpoint));
  }

  private CircuitBreaker create(Endpoint endpoint) {
    CircuitBreaker breaker = registry.circuitBreaker(name(service, endpoint));
    breaker.getEventPublisher().onStateTransition(
        event -> onTransition(endpoint, event.getStateTransition().getToState()));
    return breaker;
  }

  private void onTransition(Endpoint endpoint, State to) {
    if (to == State.OPEN || to == State.FORCED_OPEN) {
      if (openWarnings.tryAcquire()) {
        log.warn("service '{}': circuit breaker of endpoint {} opened; it takes no traffic until a "
            + "half-open probe succeeds (further openings are logged at most every 10 s)", service, endpoint.id());
      }
      health.markUnavailable(endpoint, "circuit breaker open");
    } else {
      health.markAvailable(endpoint, "circuit breaker " + to.name().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
