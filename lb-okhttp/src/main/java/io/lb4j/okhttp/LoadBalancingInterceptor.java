package io.lb4j.okhttp;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.lb4j.core.LoadBalancer;
import io.lb4j.okhttp.internal.CallRouter;
import io.lb4j.okhttp.internal.EndpointBreakers;
import io.lb4j.okhttp.internal.RateLimitedLog;
import io.lb4j.okhttp.internal.RetryBudget;
import io.lb4j.okhttp.internal.RetryPolicy;
import io.lb4j.okhttp.internal.ServiceRoute;
import io.lb4j.okhttp.internal.Sleeper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * An OkHttp <em>application</em> interceptor that sends each call addressed to a logical host
 * ({@code http://orders/v1/items}) to an instance chosen by that service's {@link LoadBalancer},
 * and retries elsewhere what is safe to retry. Calls to hosts with no service pass through
 * untouched. Install it with {@link LoadBalancedOkHttp#wrap}, which also turns on exact
 * "was the request sent?" tracking; it must not be a network interceptor (OkHttp forbids those to
 * change the host or to proceed twice).
 *
 * <p>Per call: the request's hash key and sticky-session id (if configured for its service) go into
 * the pick; the URL's host and port are rewritten to the endpoint's (the scheme, path and query
 * stay); the attempt passes through the endpoint's circuit breaker; the outcome and latency are
 * reported once, when the response headers arrive or the attempt fails. A status of 500 or more
 * or an I/O failure counts against the endpoint; an attempt its breaker refused, or one the caller
 * canceled, is given back with {@link io.lb4j.core.Pick#cancel()} and counts neither way. An open
 * breaker takes its endpoint out of rotation with a {@link #CIRCUIT_BREAKER_MARK_SOURCE} mark, and
 * is dropped when its endpoint leaves the balancer's server list.
 *
 * <p>Retries go to endpoints not yet tried by the call, and only while all of these hold:
 * <ul>
 *   <li>the failure is a connection that never carried the request (always safe), or the request
 *       is idempotent (GET, HEAD, OPTIONS, PUT, DELETE, TRACE, or tagged {@link Idempotent}) with a
 *       body that is not one-shot, and the failure is an I/O error or a retryable status;
 *   <li>attempts remain ({@link Builder#maxAttempts}) and the call was not canceled;
 *   <li>the service's retry budget allows one more ({@link Builder#retryBudget}).
 * </ul>
 * Between attempts the thread sleeps an exponential, jittered backoff, or the server's
 * {@code Retry-After} (seconds or HTTP date, on 429 and retryable statuses) up to a cap. The call
 * ends with the last failure: an HTTP response is returned as is (earlier ones are closed); an
 * exception carries every earlier attempt's failure as suppressed. When no endpoint is left, the
 * call fails with an {@link IOException} whose cause is lb-core's
 * {@link io.lb4j.core.NoEndpointAvailableException}.
 *
 * <p>Timeouts: OkHttp's call timeout bounds the whole call, retries and backoff included; with one
 * set, each attempt's connect and read timeouts are capped at an even share of the time left.
 *
 * <p>Host header: by default the server sees the endpoint's address as {@code Host}. With
 * {@link Builder#preserveHostHeader} it sees the logical host instead. TLS (SNI and certificate
 * verification) runs against the endpoint's host, so an HTTPS endpoint's certificate must cover the
 * address it is reached by — unless the client is set up with {@link EndpointTls}, which verifies
 * the service's name instead.
 *
 * <p>Thread-safe and immutable once built; one instance can serve many clients.
 */
public final class LoadBalancingInterceptor implements Interceptor {
  /**
   * The source under which an endpoint's open circuit breaker marks it unavailable in its
   * balancer's {@link io.lb4j.core.HealthTracker}: {@value}. The breaker lifts only this mark when
   * it half-opens or closes; an operator may lift it by hand with
   * {@code markAvailable(endpoint, CIRCUIT_BREAKER_MARK_SOURCE, reason)}.
   */
  public static final String CIRCUIT_BREAKER_MARK_SOURCE = "circuit-breaker";

  private final Map<String, ServiceRoute> routes;
  private final RetryPolicy policy;
  private final boolean preserveHost;
  private final CircuitBreakerRegistry breakers;
  private final boolean sendsTracked;

  private LoadBalancingInterceptor(Map<String, ServiceRoute> routes, RetryPolicy policy,
      boolean preserveHost, CircuitBreakerRegistry breakers, boolean sendsTracked) {
    this.routes = routes;
    this.policy = policy;
    this.preserveHost = preserveHost;
    this.breakers = breakers;
    this.sendsTracked = sendsTracked;
  }

  /** A builder with the defaults listed on each of its setters. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    ServiceRoute route = routes.get(chain.request().url().host());
    if (route == null) {
      return chain.proceed(chain.request());
    }
    return new CallRouter(chain, route, policy, sendsTracked, preserveHost).proceed();
  }

  /** The services this interceptor routes, by logical host name. */
  public Set<String> services() {
    return routes.keySet();
  }

  /**
   * The registry holding every endpoint's breaker, named {@code service/endpointId}: for metrics,
   * or for operators forcing a breaker's state.
   */
  public CircuitBreakerRegistry circuitBreakerRegistry() {
    return breakers;
  }

  /** This interceptor, sharing its state, for a client where {@link RequestSentMarker} runs too. */
  LoadBalancingInterceptor withSendTracking() {
    return new LoadBalancingInterceptor(routes, policy, preserveHost, breakers, true);
  }

  @Override
  public String toString() {
    return "LoadBalancingInterceptor" + routes.keySet();
  }

  /** Configures a {@link LoadBalancingInterceptor}; not thread-safe. Setters validate at once. */
  public static final class Builder {
    private final Map<String, LoadBalancer> services = new LinkedHashMap<>();
    private final Map<String, RequestKey> hashKeys = new LinkedHashMap<>();
    private final Map<String, RequestKey> sessionKeys = new LinkedHashMap<>();
    private int maxAttempts = 3;
    private Set<Integer> retryableStatuses = Set.of(502, 503, 504);
    private Duration initialBackoff = Duration.ofMillis(25);
    private Duration maxBackoff = Duration.ofMillis(250);
    private Duration retryAfterCap = Duration.ofSeconds(2);
    private double budgetRatio = 0.2;
    private int minRetriesPerSecond = 10;
    private CircuitBreakerConfig breakerConfig = defaultBreakerConfig();
    private boolean preserveHost;
    private Ticker ticker = Ticker.systemTicker();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Routes calls to host {@code name} (case-insensitive, as URLs are) through {@code balancer}.
     *
     * @throws IllegalArgumentException if {@code name} is not a host name or is already routed
     */
    public Builder service(String name, LoadBalancer balancer) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(balancer, "balancer");
      String host = canonicalHost(name);
      if (services.containsKey(host)) {
        throw new IllegalArgumentException("service '" + host + "' is already configured");
      }
      services.put(host, balancer);
      return this;
    }

    /** Routes every entry of {@code services}; see {@link #service}. */
    public Builder services(Map<String, LoadBalancer> services) {
      Objects.requireNonNull(services, "services").forEach(this::service);
      return this;
    }

    /**
     * Feeds {@code key} of each call to {@code service} to the pick as its hash key, for
     * algorithms that route by key (consistent hashing, Maglev, ...). Calls without it pick
     * without a key. The service must be configured by {@link #build()} time.
     */
    public Builder hashKey(String service, RequestKey key) {
      hashKeys.put(Objects.requireNonNull(service, "service").toLowerCase(Locale.ROOT),
          Objects.requireNonNull(key, "key"));
      return this;
    }

    /**
     * Feeds {@code key} of each call to {@code service} to the pick as its sticky-session id
     * (typically {@link RequestKey#cookie}). The service must be configured by {@link #build()}.
     */
    public Builder stickySession(String service, RequestKey key) {
      sessionKeys.put(Objects.requireNonNull(service, "service").toLowerCase(Locale.ROOT),
          Objects.requireNonNull(key, "key"));
      return this;
    }

    /** Attempts per call, the first one included; 1 turns retries off. Default 3. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * HTTP statuses retried on another endpoint (idempotent requests only). Default 502, 503, 504.
     */
    public Builder retryableStatuses(int... codes) {
      Objects.requireNonNull(codes, "codes");
      Set<Integer> set = new TreeSet<>();
      for (int code : codes) {
        if (code < 100 || code > 599) {
          throw new IllegalArgumentException("retryable status must be in [100, 599], was " + code);
        }
        set.add(code);
      }
      this.retryableStatuses = Set.copyOf(set);
      return this;
    }

    /**
     * Exponential backoff between attempts: {@code initial} before the first retry, doubling up to
     * {@code max}, each delay jittered by ±50% (Resilience4j's
     * {@link IntervalFunction#ofExponentialRandomBackoff}). Zero turns waiting off. Default 25 ms
     * to 250 ms.
     */
    public Builder backoff(Duration initial, Duration max) {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      if (initial.isNegative()) {
        throw new IllegalArgumentException("initialBackoff must be >= 0, was " + initial);
      }
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "maxBackoff must be >= initialBackoff (" + initial + "), was " + max);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** The longest {@code Retry-After} waited for; longer ones are cut to it. Default 2 s. */
    public Builder retryAfterCap(Duration cap) {
      Objects.requireNonNull(cap, "cap");
      if (cap.isNegative()) {
        throw new IllegalArgumentException("retryAfterCap must be >= 0, was " + cap);
      }
      this.retryAfterCap = cap;
      return this;
    }

    /**
     * Each service may see at most {@code ratio × calls + minRetriesPerSecond × 10} retries over
     * a sliding 10-second window; past it, failures return at once. Default 0.2 and 10/s.
     */
    public Builder retryBudget(double ratio, int minRetriesPerSecond) {
      if (!(ratio >= 0 && ratio <= 1)) {
        throw new IllegalArgumentException("retryBudgetRatio must be in [0, 1], was " + ratio);
      }
      if (minRetriesPerSecond < 0) {
        throw new IllegalArgumentException(
            "minRetriesPerSecond must be >= 0, was " + minRetriesPerSecond);
      }
      this.budgetRatio = ratio;
      this.minRetriesPerSecond = minRetriesPerSecond;
      return this;
    }

    /**
     * The configuration of every endpoint's breaker. Automatic OPEN → HALF_OPEN transition is
     * forced on: an open endpoint is out of rotation, so no call would ever move it on otherwise.
     * Default: failure rate 50% over the last 20 calls (at least 10), 10 s open, 3 probe calls.
     */
    public Builder circuitBreakerConfig(CircuitBreakerConfig config) {
      this.breakerConfig = CircuitBreakerConfig.from(Objects.requireNonNull(config, "config"))
          .automaticTransitionFromOpenToHalfOpenEnabled(true)
          .build();
      return this;
    }

    /** Sends the logical host as the {@code Host} header; see the class doc. Default false. */
    public Builder preserveHostHeader(boolean preserve) {
      this.preserveHost = preserve;
      return this;
    }

    /** Time source of retry budgets, latencies and timeouts. Default the system ticker. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @throws IllegalArgumentException if a hash key or sticky session names a service that was not
     *     configured
     */
    public LoadBalancingInterceptor build() {
      requireKnown("hashKey", hashKeys);
      requireKnown("stickySession", sessionKeys);
      CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(breakerConfig);
      long windowNanos = TimeUnit.SECONDS.toNanos(10);
      Map<String, ServiceRoute> routes = new LinkedHashMap<>();
      services.forEach((name, balancer) -> routes.put(name, new ServiceRoute(name, balancer,
          hashKeys.get(name), sessionKeys.get(name),
          new RetryBudget(budgetRatio, minRetriesPerSecond, windowNanos, ticker),
          new EndpointBreakers(name, registry, balancer, ticker),
          new RateLimitedLog(windowNanos, ticker))));
      RetryPolicy policy = new RetryPolicy(maxAttempts, retryableStatuses, backoffFunction(),
          retryAfterCap.toNanos(), sleeper, ticker, clock);
      return new LoadBalancingInterceptor(Map.copyOf(routes), policy, preserveHost, registry, false);
    }

    private void requireKnown(String setting, Map<String, RequestKey> keys) {
      for (String service : keys.keySet()) {
        if (!services.containsKey(service)) {
          throw new IllegalArgumentException(setting + " names unknown service '" + service
              + "'; configured services: " + services.keySet());
        }
      }
    }

    private IntervalFunction backoffFunction() {
      if (initialBackoff.isZero()) {
        return retry -> 0L;
      }
      return IntervalFunction.ofExponentialRandomBackoff(initialBackoff, 2.0, 0.5, maxBackoff);
    }

    private static String canonicalHost(String name) {
      HttpUrl url = name.isBlank() ? null : HttpUrl.parse("http://" + name + "/");
      if (url == null || !url.host().equalsIgnoreCase(name)) {
        throw new IllegalArgumentException("service name must be a host name, was '" + name + "'");
      }
      return url.host();
    }

    private static CircuitBreakerConfig defaultBreakerConfig() {
      return CircuitBreakerConfig.custom()
          .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
          .slidingWindowSize(20)
          .minimumNumberOfCalls(10)
          .failureRateThreshold(50)
          .waitDurationInOpenState(Duration.ofSeconds(10))
          .permittedNumberOfCallsInHalfOpenState(3)
          .automaticTransitionFromOpenToHalfOpenEnabled(true)
          .build();
    }
  }
}
