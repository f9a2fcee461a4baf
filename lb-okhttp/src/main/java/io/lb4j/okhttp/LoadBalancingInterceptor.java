package io.lb4j.okhttp;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.NoEndpointAvailableException;
import io.lb4j.core.Ticker;
import io.lb4j.core.internal.Arguments;
import io.lb4j.okhttp.CallListener.Outcome;
import io.lb4j.okhttp.internal.CallRouter;
import io.lb4j.okhttp.internal.EndpointBreakers;
import io.lb4j.okhttp.internal.HedgedCall;
import io.lb4j.okhttp.internal.TracedCall;
import io.lb4j.okhttp.internal.IsolatedCallListener;
import io.lb4j.okhttp.internal.RateLimitedLog;
import io.lb4j.okhttp.internal.RecentLatencies;
import io.lb4j.okhttp.internal.RetryBudget;
import io.lb4j.okhttp.internal.RetryPolicy;
import io.lb4j.okhttp.internal.ServiceRoute;
import io.lb4j.okhttp.internal.Sleeper;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
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
 * breaker reports its endpoint unhealthy to the balancer's tracker as a soft verdict (source
 * {@link #CIRCUIT_BREAKER_MARK_SOURCE}{@code #n}, one per interceptor): counted against the
 * tracker's max-ejection budget and overridden in panic mode, in which case the breaker lets calls
 * through; it is dropped when its endpoint leaves the balancer's server list.
 *
 * <p>Who judges what: errors (5xx, I/O failures) are judged once, by the tracker's outlier
 * detection (consecutive failures, failure rate); the default breakers judge slowness (see
 * {@link Builder#circuitBreakerConfig}), which the tracker does not. A configuration that makes the
 * breakers count errors too judges each failure twice.
 *
 * <p>Retries go to endpoints not yet tried by the call, and only while all of these hold:
 * <ul>
 *   <li>the failure is a connection that never carried the request (always safe), or the request
 *       is idempotent (GET, HEAD, OPTIONS, PUT, DELETE, TRACE, or tagged {@link Idempotent}) with a
 *       body that is not one-shot, and the failure is an I/O error, a retryable status or a body
 *       cut off mid-way (see {@link Builder#bodyBufferLimit});
 *   <li>attempts remain ({@link Builder#maxAttempts}) and the call was not canceled;
 *   <li>the service's retry budget allows one more ({@link Builder#retryBudgetPercent});
 *   <li>the wait before it ends before the call timeout does.
 * </ul>
 * Between attempts the calling thread waits an exponential, jittered backoff, or the server's
 * {@code Retry-After} (seconds or HTTP date, on 429 and retryable statuses) up to a cap, with the
 * previous answer's connection released; the wait ends early when the call is canceled. A call
 * run by {@code enqueue()} on a {@link LoadBalancedOkHttp#wrap wrapped} client's dispatcher never
 * waits there: its retry goes at once. The call ends with the last failure: an HTTP response is
 * returned as is (earlier ones are closed); an exception carries every earlier attempt's failure
 * as suppressed. When no endpoint is left, the call fails with an {@link IOException} naming the
 * open circuit breakers, whose cause is lb-core's
 * {@link io.lb4j.core.NoEndpointAvailableException}.
 *
 * <p>An endpoint the client cannot address — its name does not resolve, or OkHttp refuses its host
 * in a URL although lb-core accepted it (a 253-character name with a root dot, an {@code xn--}
 * label that is not punycode) or would turn it into another name — fails its attempt with an
 * {@link java.net.UnknownHostException} naming the service, the endpoint and the reason, the
 * original failure as its cause. It counts as that endpoint's failure (so outlier detection ejects
 * it), nothing was sent (so the call goes on to another endpoint whatever its method), and it is
 * logged at WARN at most every 10 s per service.
 *
 * <p>With {@link Builder#hedging} set, idempotent calls through a {@link LoadBalancedOkHttp#wrap
 * wrapped} client are hedged instead: see {@link HedgingPolicy}.
 *
 * <p>Timeouts: each attempt runs with the client's own connect, read and write timeouts, capped by
 * {@link Builder#perTryTimeout} when set; OkHttp's call timeout bounds the whole call, retries and
 * waits included. The call timeout firing during an attempt counts as that endpoint's failure;
 * the caller's own {@code cancel()} counts as nothing.
 *
 * <p>Host header: by default the server sees the endpoint's address as {@code Host}. With
 * {@link Builder#preserveHostHeader} it sees the logical host instead. TLS (SNI and certificate
 * verification) runs against the endpoint's host, so an HTTPS endpoint's certificate must cover the
 * address it is reached by — unless the client is set up with {@link EndpointTls}, which verifies
 * the service's name instead.
 *
 * <p>Observing: a {@link CallListener} ({@link Builder#callListener}) hears of every attempt, retry
 * decision and call (lb-micrometer's metrics are one). With the logger
 * {@code io.lb4j.okhttp.PickTrace} at DEBUG, each pick is preceded by its
 * {@linkplain LoadBalancer#explain explanation} (members, states, the rule that chose; for
 * randomized algorithms one possible draw); off, it costs one level check per attempt.
 *
 * <p>Thread-safe and immutable once built; one instance can serve many clients. {@link #close()}
 * detaches it from its balancers; calls through it fail afterwards.
 */
public final class LoadBalancingInterceptor implements Interceptor, Closeable {
  /**
   * The prefix of the sources under which endpoints' open circuit breakers report them unhealthy
   * in their balancer's {@link io.lb4j.core.HealthTracker}: {@value}, followed by {@code #n}, one
   * number per interceptor and service, so that two interceptors over one balancer never lift each
   * other's verdicts. The breaker lifts only its own verdict when it half-opens or closes; the
   * verdicts, with their full source names, show in the tracker's snapshot, and an operator may
   * lift one by hand with {@code reportHealthy(endpoint, source, reason)}.
   */
  public static final String CIRCUIT_BREAKER_MARK_SOURCE = "circuit-breaker";

  private static final long DEFAULT_BODY_BUFFER_LIMIT = 256 * 1024;

  private final Map<String, ServiceRoute> routes;
  private final RetryPolicy policy;
  private final boolean preserveHost;
  private final CircuitBreakerRegistry breakers;
  private final HedgingPolicy hedging;
  private final CallTrace.Detail traceDetail;
  private final AtomicBoolean closed;
  // The client that runs hedged attempts as calls of their own; null unless wrap() installed us.
  private final OkHttpClient attemptClient;

  private LoadBalancingInterceptor(Map<String, ServiceRoute> routes, RetryPolicy policy,
      boolean preserveHost, CircuitBreakerRegistry breakers, HedgingPolicy hedging,
      CallTrace.Detail traceDetail, AtomicBoolean closed, OkHttpClient attemptClient) {
    this.routes = routes;
    this.policy = policy;
    this.preserveHost = preserveHost;
    this.breakers = breakers;
    this.hedging = hedging;
    this.traceDetail = traceDetail;
    this.closed = closed;
    this.attemptClient = attemptClient;
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
    if (closed.get()) {
      throw new IOException(this + " is closed; call to '" + route.name() + "' not sent");
    }
    boolean sendsTracked = attemptClient != null;
    long start = policy.ticker().read();
    Response response;
    try {
      response = route(chain, route, sendsTracked);
    } catch (IOException e) {
      route.listener().callEnded(route.name(), outcomeOf(chain, e), elapsedSince(start));
      throw e;
    }
    route.listener().callEnded(route.name(), Outcome.ofStatus(response.code()), elapsedSince(start));
    return response;
  }

  /**
   * Routes the call. A balancer closed before or during the call refuses its picks with an
   * {@link IllegalStateException}; the call then fails with an {@link IOException} carrying its
   * message ("load balancer 'orders' is closed"): OkHttp's {@code enqueue()} would turn a runtime
   * exception into a "canceled" failure and rethrow it on its dispatcher thread.
   */
  private Response route(Chain chain, ServiceRoute route, boolean sendsTracked) throws IOException {
    TracedCall trace = TracedCall.startOrNull(route.name(), traceDetail);
    try {
      Response response = hedging != null && sendsTracked && policy.mayResendAfterSent(chain.request())
          ? new HedgedCall(chain, route, policy, hedging, attemptClient, preserveHost, trace).proceed()
          : new CallRouter(chain, route, policy, sendsTracked, preserveHost, trace).proceed();
      return trace == null ? response : trace.attach(response);
    } catch (IOException e) {
      throw trace == null ? e : trace.attach(e);
    } catch (IllegalStateException e) {
      if (!route.balancer().isClosed()) {
        throw e;
      }
      IOException closed = new IOException(e.getMessage(), e);
      throw trace == null ? closed : trace.attach(closed);
    }
  }

  private static Outcome outcomeOf(Chain chain, IOException e) {
    if (chain.call().isCanceled()) {
      return Outcome.CANCELED;
    }
    return e.getCause() instanceof NoEndpointAvailableException ? Outcome.NO_ENDPOINT : Outcome.IO_ERROR;
  }

  private long elapsedSince(long start) {
    return Math.max(0, policy.ticker().read() - start);
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

  /**
   * Detaches this interceptor (and the copy {@link LoadBalancedOkHttp#wrap} installed) from its
   * balancers: stops following their membership, lifts the marks its open breakers made in their
   * health trackers, and drops its breakers from {@link #circuitBreakerRegistry()}. Later calls to
   * its services fail with an {@link IOException}; calls in flight finish. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      for (ServiceRoute route : routes.values()) {
        route.breakers().close();
      }
    }
  }

  /**
   * This interceptor, sharing its state, for a client where {@link RequestSentMarker} runs too;
   * hedged attempts run as calls of {@code attemptClient}.
   */
  LoadBalancingInterceptor forWrappedClient(OkHttpClient attemptClient) {
    return new LoadBalancingInterceptor(routes, policy, preserveHost, breakers, hedging,
        traceDetail, closed, attemptClient);
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
    private Duration perTryTimeout = Duration.ZERO;
    private long bodyBufferLimit = DEFAULT_BODY_BUFFER_LIMIT;
    private HedgingPolicy hedging;
    private CallTrace.Detail traceDetail = CallTrace.Detail.OFF;
    private int retryBudgetPercent = 20;
    private int minRetriesPerSecond = 10;
    private CircuitBreakerConfig breakerConfig = defaultBreakerConfig();
    private boolean preserveHost;
    private Ticker ticker = Ticker.system();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Clock clock = Clock.systemUTC();
    private CallListener listener = CallListener.NONE;

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
      this.maxAttempts = Arguments.atLeast(maxAttempts, 1, "maxAttempts");
      return this;
    }

    /**
     * HTTP statuses retried on another endpoint (idempotent requests only). Default 502, 503, 504.
     */
    public Builder retryableStatuses(int... codes) {
      this.retryableStatuses = StatusCodes.of("retryable status", codes);
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
      this.retryAfterCap = Arguments.nonNegative(cap, "retryAfterCap");
      return this;
    }

    /**
     * Caps each attempt's connect, read and write timeouts (OkHttp's are per operation: a read
     * that waits longer than this fails the attempt), so that a stalled endpoint leaves time for
     * the next within the call timeout. Zero, the default, caps nothing: the first attempt may use
     * all the time a plain client would give it.
     */
    public Builder perTryTimeout(Duration timeout) {
      this.perTryTimeout = Arguments.nonNegative(timeout, "perTryTimeout");
      return this;
    }

    /**
     * Response bodies of idempotent calls whose {@code Content-Length} is known and at most
     * {@code bytes} are read into memory before the call returns, so that one cut off mid-way
     * counts against its endpoint and is retried on another (a status the interceptor does not
     * retry; a 2xx, say). Bodies of unknown length (chunked: a watch, a long poll), server-sent
     * events ({@code text/event-stream}), larger bodies and bodies of other calls stream to the
     * caller as soon as their headers arrive; if cut off, they still count against the endpoint,
     * and the caller's read fails. Zero turns buffering off. Default 256 KiB.
     */
    public Builder bodyBufferLimit(long bytes) {
      this.bodyBufferLimit = Arguments.atLeast(bytes, 0, "bodyBufferLimit");
      return this;
    }

    /**
     * Hedges idempotent calls as {@code policy} says (see {@link HedgingPolicy}); a hedged call's
     * attempts are its hedges, so {@link #maxAttempts} and the backoff do not apply to it. Needs
     * the interceptor installed by {@link LoadBalancedOkHttp#wrap}, which gives it a client to
     * run the parallel attempts; added by hand, it does not hedge. Default: no hedging.
     */
    public Builder hedging(HedgingPolicy policy) {
      this.hedging = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The retry budget's share of calls, 0 to 100: each service may see at most
     * {@code retryBudgetPercent/100 × calls + minRetriesPerSecond × 10} retries (hedges included)
     * over a sliding 10-second window; past it, failures return at once. 0 leaves only
     * {@link #minRetriesPerSecond}. Default 20%, Finagle's and Envoy's.
     */
    public Builder retryBudgetPercent(int percent) {
      this.retryBudgetPercent = Arguments.percent(percent, "retryBudgetPercent");
      return this;
    }

    /**
     * The retry budget's floor, at least 0: retries per second a service may always see, so that
     * a client with little traffic can retry at all (see {@link #retryBudgetPercent}). Default 10.
     */
    public Builder minRetriesPerSecond(int retries) {
      this.minRetriesPerSecond = Arguments.atLeast(retries, 0, "minRetriesPerSecond");
      return this;
    }

    /**
     * The configuration of every endpoint's breaker. Automatic OPEN → HALF_OPEN transition is
     * forced on: an open endpoint is out of rotation, so no call would ever move it on otherwise.
     * Default: slow calls only, the job the health tracker does not do: open when 50% of the last
     * 20 calls (at least 10) took 5 s or more, for 10 s, then 3 probe calls. Errors are not
     * counted by default: the tracker's outlier detection already judges them (50% over 20 calls,
     * or 5 in a row), and a second detector on the same failures would judge each twice. 5 s is
     * half of OkHttp's default read timeout: an answer that slow is nearly a timeout.
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

    /**
     * Tells {@code listener} of every attempt's end, retry decision and call's end, e.g.
     * lb-micrometer's metrics. Default {@link CallListener#NONE}.
     */
    public Builder callListener(CallListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Records every attempt of each routed call in a {@link CallTrace}, handed out with the call's
     * response ({@link CallTrace#of(Response)}) or failure ({@link CallTrace#of(Throwable)}) and
     * logged at DEBUG by the logger {@code io.lb4j.okhttp.PickTrace}. Default
     * {@link CallTrace.Detail#OFF}: a trace costs every call allocation (its attempts, and a copy
     * of the response and of its request to carry the tag), and explanations a copy of every
     * member's state per attempt — see the README for the measured cost.
     */
    public Builder callTrace(CallTrace.Detail detail) {
      this.traceDetail = Objects.requireNonNull(detail, "detail");
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
      CallListener isolated = new IsolatedCallListener(listener);
      services.forEach((name, balancer) -> routes.put(name, new ServiceRoute(name, balancer,
          hashKeys.get(name), sessionKeys.get(name),
          new RetryBudget(retryBudgetPercent / 100.0, minRetriesPerSecond, windowNanos, ticker),
          new EndpointBreakers(name, registry, balancer, ticker),
          hedging != null && hedging.isAdaptive() ? new RecentLatencies(hedging.percentile()) : null,
          new RateLimitedLog(windowNanos, ticker), new RateLimitedLog(windowNanos, ticker),
          isolated)));
      RetryPolicy policy = new RetryPolicy(maxAttempts, retryableStatuses, backoffFunction(),
          retryAfterCap.toNanos(), perTryTimeout.toNanos(), bodyBufferLimit, sleeper, ticker,
          clock);
      return new LoadBalancingInterceptor(Map.copyOf(routes), policy, preserveHost, registry,
          hedging, traceDetail, new AtomicBoolean(), null);
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
          // Errors are the health tracker's to judge; counted here too, each would count twice.
          .recordException(failure -> false)
          .slowCallDurationThreshold(Duration.ofSeconds(5))
          .slowCallRateThreshold(50)
          .waitDurationInOpenState(Duration.ofSeconds(10))
          .permittedNumberOfCallsInHalfOpenState(3)
          .automaticTransitionFromOpenToHalfOpenEnabled(true)
          .build();
    }
  }
}
