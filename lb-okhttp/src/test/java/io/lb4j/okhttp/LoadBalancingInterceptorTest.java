package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointStats;
import io.lb4j.core.HealthTracker;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import io.lb4j.core.NoEndpointAvailableException;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The interceptor against real loopback servers (mockwebserver3): routing, retries, breakers. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadBalancingInterceptorTest {
  private static final Logger log = LoggerFactory.getLogger(LoadBalancingInterceptorTest.class);
  private static final CircuitBreakerConfig NEVER_OPENS = CircuitBreakerConfig.custom()
      .slidingWindowSize(10_000).minimumNumberOfCalls(10_000).build();

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<Long> sleeps = new CopyOnWriteArrayList<>();
  private final ConnectCounter connects = new ConnectCounter();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
  }

  private Backends backends(int count) throws IOException {
    Backends backends = new Backends(count);
    closeables.add(backends);
    return backends;
  }

  /** Round robin, set explicitly: the tests count exact shares and visiting orders. */
  private LoadBalancer balancer(MutableServerList servers) {
    return balancer(servers, Algorithms.roundRobin());
  }

  private LoadBalancer balancer(MutableServerList servers, Algorithm algorithm) {
    LoadBalancer balancer = LoadBalancer.builder(servers).name("orders").algorithm(algorithm).build();
    closeables.add(balancer);
    return balancer;
  }

  private LoadBalancingInterceptor.Builder interceptor(LoadBalancer balancer) {
    return LoadBalancingInterceptor.builder().service("orders", balancer).sleeper((nanos, call) -> sleeps.add(nanos));
  }

  private OkHttpClient client(LoadBalancingInterceptor interceptor) {
    OkHttpClient plain = new OkHttpClient.Builder()
        .eventListener(connects)
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(2))
        .build();
    return LoadBalancedOkHttp.wrap(plain, interceptor);
  }

  /** The status and the serving backend ("X-Server", or "-") of one call. */
  private static String get(OkHttpClient client, String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.code() + " " + (response.header("X-Server") == null ? "-" : response.header("X-Server"));
    }
  }

  private static Request post(String url, RequestBody body) {
    return new Request.Builder().url(url).post(body).build();
  }

  private static RequestBody text(String text) {
    return RequestBody.create(text, MediaType.get("text/plain"));
  }

  @Test
  void roundRobinSendsEachOfThreeServersExactlyAThird() throws Exception {
    Backends backends = backends(3);
    OkHttpClient client = client(interceptor(balancer(backends.serverList())).build());

    for (int i = 0; i < 300; i++) {
      assertThat(get(client, "http://orders/v1/items")).startsWith("200");
    }

    assertThat(List.of(backends.requestCount(0), backends.requestCount(1), backends.requestCount(2)))
        .containsExactly(100, 100, 100);
    RecordedRequest recorded = backends.server(0).takeRequest(1, TimeUnit.SECONDS);
    assertThat(recorded.getUrl().encodedPath()).isEqualTo("/v1/items");
  }

  @Test
  void serverShutDownMidRunFailsNoCallAndStopsReceivingAttemptsOnceEjected() throws IOException {
    Backends backends = backends(3);
    // Frozen health time: an ejection, once made, lasts the whole run however slow the machine.
    HealthTracker health = HealthTracker.builder().ticker(new ManualTicker()).build();
    closeables.add(health);
    LoadBalancer balancer = LoadBalancer.builder(backends.serverList()).name("orders")
        .algorithm(Algorithms.roundRobin()).healthTracker(health).build();
    closeables.add(balancer);
    LoadBalancingInterceptor interceptor = interceptor(balancer)
        .circuitBreakerConfig(CircuitBreakerConfig.custom().slidingWindowSize(20)
            .minimumNumberOfCalls(10).waitDurationInOpenState(Duration.ofMinutes(5)).build())
        .build();
    OkHttpClient client = client(interceptor);
    Endpoint dead = backends.endpoint(2);

    int failed = 0;
    int connectsAtEjection = -1;
    long attemptsAtEjection = -1;
    for (int i = 0; i < 600; i++) {
      if (i == 300) {
        backends.server(2).close();
      }
      if (!get(client, "http://orders/v1/items").startsWith("200")) {
        failed++;
      }
      // Outlier ejection (5 failures in a row) or the breaker opening: whichever came first.
      if (connectsAtEjection < 0 && !health.isAvailable(dead)) {
        connectsAtEjection = connects.starts(dead.port());
        attemptsAtEjection = attempts(balancer, dead);
      }
    }

    assertThat(failed).isZero();
    assertThat(connectsAtEjection).as("connections to the dead one until ejected")
        .isBetween(1, 20);
    assertThat(connects.starts(dead.port())).isEqualTo(connectsAtEjection);
    assertThat(attempts(balancer, dead)).isEqualTo(attemptsAtEjection);
    assertThat(health.isAvailable(dead)).isFalse();
    log.info("dead server: 600 calls, {} answered attempts, {} refused connections to the dead one, "
        + "breaker {}", backends.totalRequests(), connects.failures(dead.port()),
        breaker(interceptor, dead).getState());
  }

  /** Attempts that reached {@code endpoint} and ended, whatever their outcome. */
  private static long attempts(LoadBalancer balancer, Endpoint endpoint) {
    EndpointStats stats = balancer.stats(endpoint.id()).orElseThrow();
    return stats.successes() + stats.failures();
  }

  @Test
  void serverFailingOneInFiveWith503LosesNoCallAndRetriesWithinBudget() throws IOException {
    Backends backends = backends(3);
    AtomicInteger seen = new AtomicInteger();
    backends.respond(0, request -> seen.incrementAndGet() % 5 == 0 ? Backends.status(503) : Backends.ok(0));
    OkHttpClient client = client(interceptor(balancer(backends.serverList())).build());

    int requests = 600;
    for (int i = 0; i < requests; i++) {
      assertThat(get(client, "http://orders/v1/items")).startsWith("200");
    }

    int attempts = backends.totalRequests();
    log.info("20% 503 on one of 3 servers: {} attempts for {} calls ({})", attempts, requests,
        (double) attempts / requests);
    assertThat(attempts).isGreaterThan(requests).isLessThanOrEqualTo((int) (1.2 * requests) + 100);
  }

  @Test
  void postWhoseConnectionIsResetAfterSendingIsNotRetried() throws IOException {
    Backends backends = backends(3);
    backends.respondAll(request ->
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    OkHttpClient client = client(interceptor(balancer(backends.serverList())).build());

    IOException failure = catchThrowableOfType(IOException.class,
        () -> client.newCall(post("http://orders/v1/items", text("order"))).execute());

    assertThat(failure).isNotNull();
    assertThat(failure.getSuppressed()).isEmpty();
    assertThat(backends.totalRequests()).isEqualTo(1);
  }

  @Test
  void postToRefusedPortIsRetriedOnAnotherServer() throws IOException {
    Backends backends = backends(1);
    Endpoint refused = Backends.refusedEndpoint();
    OkHttpClient client = client(interceptor(
        balancer(MutableServerList.of(refused, backends.endpoint(0)))).build());

    for (int i = 0; i < 4; i++) {
      try (Response response = client.newCall(post("http://orders/v1/items", text("order"))).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }
    }

    assertThat(backends.requestCount(0)).isEqualTo(4);
    assertThat(connects.failures(refused.port())).isBetween(1, 4);
  }

  @Test
  void addedByHandWithoutWrapTheInterceptorStillTellsRefusedFromSent() throws IOException {
    Backends backends = backends(1);
    backends.respond(0, request ->
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    Endpoint refused = Backends.refusedEndpoint();
    LoadBalancingInterceptor interceptor = interceptor(
        balancer(MutableServerList.of(refused, backends.endpoint(0)))).build();
    // No send-tracking network interceptor here: the exception type decides.
    OkHttpClient client = new OkHttpClient.Builder().eventListener(connects)
        .retryOnConnectionFailure(false).addInterceptor(interceptor).build();

    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> client.newCall(post("http://orders/v1/items", text("order"))).execute())
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(ConnectException.class);
    }

    // Every call reached the live server exactly once; refusals in front of it were retried.
    assertThat(backends.requestCount(0)).isEqualTo(4);
    assertThat(connects.failures(refused.port())).isBetween(1, 4);
  }

  @Test
  void breakerOpensAfterThresholdMovesTrafficAndClosesOnceServerRecovers() throws IOException {
    Backends backends = backends(3);
    backends.respond(0, request -> Backends.status(503));
    LoadBalancer balancer = balancer(backends.serverList());
    LoadBalancingInterceptor interceptor = interceptor(balancer)
        .circuitBreakerConfig(CircuitBreakerConfig.custom().slidingWindowSize(4)
            .minimumNumberOfCalls(4).failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(1)).permittedNumberOfCallsInHalfOpenState(1)
            .build())
        .build();
    OkHttpClient client = client(interceptor);
    Endpoint flaky = backends.endpoint(0);

    for (int i = 0; i < 100 && breakerState(interceptor, flaky) != CircuitBreaker.State.OPEN; i++) {
      assertThat(get(client, "http://orders/v1/items")).startsWith("200");
    }
    assertThat(breakerState(interceptor, flaky)).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(backends.requestCount(0)).isEqualTo(4);

    int whileOpen = backends.requestCount(0);
    for (int i = 0; i < 30; i++) {
      assertThat(get(client, "http://orders/v1/items")).isIn("200 1", "200 2");
    }
    // At most one half-open probe if the open period ran out meanwhile.
    assertThat(backends.requestCount(0) - whileOpen).isLessThanOrEqualTo(1);

    backends.respond(0, request -> Backends.ok(0));
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
      get(client, "http://orders/v1/items");
      return breakerState(interceptor, flaky) == CircuitBreaker.State.CLOSED;
    });
    assertThat(balancer.healthTracker().isAvailable(flaky)).isTrue();
    Set<String> servedBy = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      servedBy.add(get(client, "http://orders/v1/items"));
    }
    assertThat(servedBy).containsExactlyInAnyOrder("200 0", "200 1", "200 2");
  }

  @Test
  void endpointWhoseBreakerDeniesIsSkippedWithoutSpendingAnAttempt() throws IOException {
    Backends backends = backends(3);
    LoadBalancer balancer = balancer(backends.serverList());
    LoadBalancingInterceptor interceptor = interceptor(balancer).maxAttempts(1)
        .circuitBreakerConfig(CircuitBreakerConfig.custom()
            .waitDurationInOpenState(Duration.ofMinutes(5)).build())
        .build();
    OkHttpClient client = client(interceptor);
    for (int i = 0; i < 3; i++) {
      get(client, "http://orders/"); // round robin: one call each creates the three breakers
    }
    Endpoint blocked = backends.endpoint(0);
    int before = backends.requestCount(0);
    breaker(interceptor, blocked).transitionToOpenState();
    // An operator puts it back in rotation while its breaker is still open.
    Set<String> sources = balancer.healthTracker().snapshot().endpoints().get(0).verdicts().keySet();
    assertThat(sources).singleElement().asString()
        .startsWith(LoadBalancingInterceptor.CIRCUIT_BREAKER_MARK_SOURCE + "#");
    String breakerSource = sources.iterator().next();
    balancer.healthTracker().reportHealthy(blocked, breakerSource, "operator override");
    assertThat(balancer.selector().candidates().endpoints()).contains(blocked);

    EndpointStats stats = balancer.stats(blocked.id()).orElseThrow();
    long failuresBefore = stats.failures();

    for (int i = 0; i < 30; i++) {
      assertThat(get(client, "http://orders/")).isIn("200 1", "200 2");
    }
    assertThat(backends.requestCount(0)).isEqualTo(before);
    // A denied attempt gives its pick back: no failure recorded, so no outlier ejection either.
    assertThat(stats.failures()).isEqualTo(failuresBefore);
    assertThat(stats.inFlight()).isZero();
    assertThat(balancer.healthTracker().isAvailable(blocked)).isTrue();
  }

  @Test
  void callCanceledMidAttemptRecordsNothingAgainstTheEndpoint() throws Exception {
    Backends backends = backends(1);
    backends.respond(0, request -> new MockResponse.Builder().code(200)
        .headersDelay(10, TimeUnit.SECONDS).build());
    LoadBalancer balancer = balancer(backends.serverList());
    LoadBalancingInterceptor interceptor = interceptor(balancer).build();
    OkHttpClient client = client(interceptor);
    Call call = client.newCall(new Request.Builder().url("http://orders/slow").build());
    CompletableFuture<IOException> failure = new CompletableFuture<>();
    call.enqueue(new Callback() {
      @Override
      public void onResponse(Call call, Response response) {
        response.close();
        failure.complete(null);
      }

      @Override
      public void onFailure(Call call, IOException e) {
        failure.complete(e);
      }
    });
    assertThat(backends.server(0).takeRequest(5, TimeUnit.SECONDS)).isNotNull();

    call.cancel();

    assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    EndpointStats stats = balancer.stats(backends.endpoint(0).id()).orElseThrow();
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.successes()).isZero();
    assertThat(stats.failures()).isZero();
    assertThat(breaker(interceptor, backends.endpoint(0)).getMetrics().getNumberOfBufferedCalls())
        .isZero();
  }

  @Test
  void breakerClosingDoesNotLiftAnOperatorsDrain() throws IOException {
    Backends backends = backends(3);
    LoadBalancer balancer = balancer(backends.serverList());
    LoadBalancingInterceptor interceptor = interceptor(balancer).build();
    OkHttpClient client = client(interceptor);
    for (int i = 0; i < 3; i++) {
      get(client, "http://orders/"); // round robin: one call each creates the three breakers
    }
    Endpoint drained = backends.endpoint(0);
    balancer.healthTracker().markUnavailable(drained, "operator", "drained for maintenance");
    CircuitBreaker breaker = breaker(interceptor, drained);
    breaker.transitionToOpenState();
    breaker.transitionToHalfOpenState();
    breaker.transitionToClosedState();

    int before = backends.requestCount(0);
    for (int i = 0; i < 30; i++) {
      assertThat(get(client, "http://orders/")).isIn("200 1", "200 2");
    }
    assertThat(backends.requestCount(0)).isEqualTo(before);
    assertThat(balancer.healthTracker().snapshot().endpoints().get(0).marks())
        .containsOnlyKeys("operator");
  }

  @Test
  void twoInterceptorsOverOneBalancerDoNotLiftEachOthersBreakerVerdicts() throws IOException {
    Backends backends = backends(3);
    LoadBalancer balancer = balancer(backends.serverList());
    LoadBalancingInterceptor first = interceptor(balancer).build();
    LoadBalancingInterceptor second = interceptor(balancer).build();
    for (LoadBalancingInterceptor interceptor : List.of(first, second)) {
      OkHttpClient client = client(interceptor);
      for (int i = 0; i < 3; i++) {
        get(client, "http://orders/"); // round robin: one call each creates the three breakers
      }
    }
    Endpoint endpoint = backends.endpoint(0);
    breaker(first, endpoint).transitionToOpenState();
    CircuitBreaker other = breaker(second, endpoint);
    other.transitionToOpenState();
    other.transitionToHalfOpenState();
    other.transitionToClosedState();

    assertThat(balancer.healthTracker().isAvailable(endpoint)).isFalse();
    assertThat(balancer.healthTracker().snapshot().endpoints().get(0).verdicts()).hasSize(1);
  }

  @Test
  void anOpenBreakerBeyondTheMaxEjectionBudgetLetsCallsThrough() throws IOException {
    Backends backends = backends(3);
    LoadBalancer balancer = balancer(backends.serverList());
    LoadBalancingInterceptor interceptor = interceptor(balancer).maxAttempts(1).build();
    OkHttpClient client = client(interceptor);
    for (int i = 0; i < 3; i++) {
      get(client, "http://orders/"); // round robin: one call each creates the three breakers
    }
    breaker(interceptor, backends.endpoint(0)).transitionToOpenState();
    breaker(interceptor, backends.endpoint(1)).transitionToOpenState(); // budget: 1 of 3

    int before = backends.requestCount(1);
    for (int i = 0; i < 20; i++) {
      assertThat(get(client, "http://orders/")).isIn("200 1", "200 2");
    }
    assertThat(backends.requestCount(1) - before).isEqualTo(10);
    assertThat(breaker(interceptor, backends.endpoint(1)).getState())
        .isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void defaultBreakersLeaveErrorsToTheTrackerSoEachFailureIsJudgedOnce() throws IOException {
    Backends backends = backends(3);
    backends.respond(0, request -> Backends.status(503));
    LoadBalancer balancer = balancer(backends.serverList());
    LoadBalancingInterceptor interceptor = interceptor(balancer).build();
    OkHttpClient client = client(interceptor);
    Endpoint failing = backends.endpoint(0);

    for (int i = 0; i < 30; i++) {
      assertThat(get(client, "http://orders/")).isIn("200 1", "200 2");
    }

    assertThat(balancer.healthTracker().snapshot().endpoints().get(0).ejectedFor()).isPositive();
    CircuitBreaker breaker = breaker(interceptor, failing);
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
    CircuitBreakerConfig defaults = interceptor.circuitBreakerRegistry().getDefaultConfig();
    assertThat(defaults.getSlowCallDurationThreshold()).isEqualTo(Duration.ofSeconds(5));
    assertThat(defaults.getSlowCallRateThreshold()).isEqualTo(50f);
  }

  @Test
  void breakerOfAnEndpointThatLeavesIsDroppedAndAReturnerStartsClosed() throws IOException {
    Backends backends = backends(3);
    MutableServerList servers = backends.serverList();
    LoadBalancer balancer = balancer(servers);
    LoadBalancingInterceptor interceptor = interceptor(balancer).build();
    OkHttpClient client = client(interceptor);
    for (int i = 0; i < 3; i++) {
      get(client, "http://orders/"); // round robin: one call each creates the three breakers
    }
    Endpoint leaver = backends.endpoint(0);
    breaker(interceptor, leaver).transitionToOpenState();
    assertThat(balancer.healthTracker().isAvailable(leaver)).isFalse();

    servers.remove(leaver);

    assertThat(interceptor.circuitBreakerRegistry().getAllCircuitBreakers())
        .extracting(CircuitBreaker::getName)
        .containsExactlyInAnyOrder("orders/" + backends.endpoint(1).id(), "orders/" + backends.endpoint(2).id());

    servers.add(leaver);
    Set<String> servedBy = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      servedBy.add(get(client, "http://orders/"));
    }
    assertThat(servedBy).containsExactlyInAnyOrder("200 0", "200 1", "200 2");
    assertThat(breaker(interceptor, leaver).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void everyServerFailingEndsAfterMaxAttemptsWithEachAttemptSuppressed() throws IOException {
    List<Endpoint> refused = List.of(Backends.refusedEndpoint(), Backends.refusedEndpoint(),
        Backends.refusedEndpoint());
    OkHttpClient client = client(interceptor(balancer(MutableServerList.of(refused)))
        .circuitBreakerConfig(NEVER_OPENS).build());

    IOException failure = catchThrowableOfType(IOException.class, () -> get(client, "http://orders/"));

    assertThat(failure).isInstanceOf(ConnectException.class);
    assertThat(failure.getSuppressed()).hasSize(2).allMatch(ConnectException.class::isInstance);
    Set<String> ports = new HashSet<>();
    ports.add(failure.getMessage());
    for (Throwable earlier : failure.getSuppressed()) {
      ports.add(earlier.getMessage());
    }
    assertThat(ports).as("three attempts, three different endpoints").hasSize(3);
    assertThat(connects.totalFailures()).isEqualTo(3);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void hundredCallsToFailingServersStayWithinTheRetryBudget() throws IOException {
    List<Endpoint> refused = List.of(Backends.refusedEndpoint(), Backends.refusedEndpoint(),
        Backends.refusedEndpoint());
    ManualTicker frozen = new ManualTicker();
    OkHttpClient client = client(interceptor(balancer(MutableServerList.of(refused)))
        .circuitBreakerConfig(NEVER_OPENS).ticker(frozen).retryBudgetPercent(20).minRetriesPerSecond(1).build());

    int calls = 100;
    for (int i = 0; i < calls; i++) {
      assertThatThrownBy(() -> get(client, "http://orders/")).isInstanceOf(ConnectException.class);
    }

    int attempts = connects.totalFailures();
    log.info("100 calls, every server refusing, budget 20% + 1/s over 10 s: {} attempts", attempts);
    // ratio × calls + floor × window = 0.2 × 100 + 1 × 10 retries at most; the floor at least.
    assertThat(attempts).isBetween(calls + 10, calls + 20 + 10);
  }

  @Test
  void hostWithoutServicePassesThroughUntouched() throws IOException {
    Backends routed = backends(2);
    Backends direct = backends(1);
    OkHttpClient client = client(interceptor(balancer(routed.serverList())).build());

    assertThat(get(client, direct.server(0).url("/plain").toString())).isEqualTo("200 0");

    assertThat(direct.requestCount(0)).isEqualTo(1);
    assertThat(routed.totalRequests()).isZero();
  }

  @Test
  void oneShotBodyIsNeverSentTwiceEvenWhenMarkedIdempotent() throws IOException {
    Backends backends = backends(3);
    backends.respondAll(request ->
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    OkHttpClient client = client(interceptor(balancer(backends.serverList())).build());
    RequestBody oneShot = new RequestBody() {
      @Override
      public MediaType contentType() {
        return MediaType.get("text/plain");
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.writeUtf8("stream");
      }

      @Override
      public boolean isOneShot() {
        return true;
      }
    };
    Request request = new Request.Builder().url("http://orders/v1/upload").put(oneShot)
        .tag(Idempotent.class, Idempotent.INSTANCE).build();

    assertThatThrownBy(() -> client.newCall(request).execute()).isInstanceOf(IOException.class);
    assertThat(backends.totalRequests()).isEqualTo(1);
  }

  @Test
  void postMarkedIdempotentIsRetriedAfterAReset() throws IOException {
    Backends backends = backends(3);
    backends.respondAll(request ->
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    OkHttpClient client = client(interceptor(balancer(backends.serverList())).build());
    Request request = new Request.Builder().url("http://orders/v1/items").post(text("order"))
        .tag(Idempotent.class, Idempotent.INSTANCE).build();

    IOException failure = catchThrowableOfType(IOException.class, () -> client.newCall(request).execute());

    assertThat(failure.getSuppressed()).hasSize(2);
    assertThat(List.of(backends.requestCount(0), backends.requestCount(1), backends.requestCount(2)))
        .containsExactly(1, 1, 1);
  }

  @Test
  void statusNotRetryableIsReturnedAfterOneAttempt() throws IOException {
    Backends backends = backends(3);
    backends.respondAll(request -> Backends.status(500));
    OkHttpClient client = client(interceptor(balancer(backends.serverList())).build());

    assertThat(get(client, "http://orders/")).isEqualTo("500 -");
    assertThat(backends.totalRequests()).isEqualTo(1);
  }

  @Test
  void lastRetryableStatusIsReturnedAsAResponseAfterMaxAttempts() throws IOException {
    Backends backends = backends(3);
    backends.respondAll(request -> Backends.status(503));
    OkHttpClient client = client(interceptor(balancer(backends.serverList())).maxAttempts(2).build());

    assertThat(get(client, "http://orders/")).isEqualTo("503 -");
    assertThat(backends.totalRequests()).isEqualTo(2);
  }

  @Test
  void retryAfterIsHonouredUpToTheCap() throws IOException {
    Backends backends = backends(2);
    backends.respond(0, request -> new MockResponse.Builder().code(429).setHeader("Retry-After", "1").build());
    backends.respond(1, request -> new MockResponse.Builder().code(503).setHeader("Retry-After", "3600").build());
    OkHttpClient client = client(interceptor(balancer(backends.serverList()))
        .retryAfterCap(Duration.ofSeconds(5)).build());

    String first = get(client, "http://orders/");

    // Two endpoints, two attempts; the wait between them is the first one's Retry-After.
    assertThat(backends.totalRequests()).isEqualTo(2);
    assertThat(sleeps).hasSize(1);
    long expected = first.startsWith("503") ? TimeUnit.SECONDS.toNanos(1) : TimeUnit.SECONDS.toNanos(5);
    assertThat(sleeps.get(0)).isEqualTo(expected);
  }

  @Test
  void sameHashKeyAlwaysReachesTheSameServer() throws IOException {
    Backends backends = backends(3);
    LoadBalancer balancer = balancer(backends.serverList(), Algorithms.ringHash());
    OkHttpClient client = client(interceptor(balancer)
        .hashKey("orders", RequestKey.header("X-User")).build());

    Set<String> serversOverall = new HashSet<>();
    for (int user = 0; user < 12; user++) {
      Set<String> serversOfUser = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        Request request = new Request.Builder().url("http://orders/cart").header("X-User", "user-" + user).build();
        try (Response response = client.newCall(request).execute()) {
          serversOfUser.add(response.header("X-Server"));
        }
      }
      // The interceptor hashes the header exactly as PickContext.hashKey(String) does.
      Selector selector = balancer.selector();
      Endpoint expected = selector.select(PickContext.create().hashKey("user-" + user));
      assertThat(serversOfUser).as("servers of user-%d", user)
          .containsExactly(String.valueOf(backends.endpoints().indexOf(expected)));
      serversOverall.addAll(serversOfUser);
    }
    assertThat(serversOverall).hasSizeGreaterThan(1);
  }

  @Test
  void stickyCookieKeepsTheSessionOnOneServerUntilItDies() throws IOException {
    Backends backends = backends(3);
    LoadBalancer balancer = balancer(backends.serverList(), Algorithms.sticky(Algorithms.roundRobin()));
    OkHttpClient client = client(interceptor(balancer)
        .stickySession("orders", RequestKey.cookie("SESSION")).build());
    Request request = new Request.Builder().url("http://orders/cart")
        .header("Cookie", "theme=dark; SESSION=abc-123").build();

    Set<String> before = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      try (Response response = client.newCall(request).execute()) {
        before.add(response.header("X-Server"));
      }
    }
    assertThat(before).hasSize(1);
    int home = Integer.parseInt(before.iterator().next());
    backends.server(home).close();

    List<String> after = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      try (Response response = client.newCall(request).execute()) {
        assertThat(response.code()).isEqualTo(200);
        after.add(response.header("X-Server"));
      }
    }
    // A failed attempt alone moves nothing (its retry goes elsewhere once); once the dead server
    // stops being a candidate (ejected after 5 failures in a row), the session moves to one survivor.
    assertThat(after).doesNotContain(String.valueOf(home));
    assertThat(new HashSet<>(after.subList(10, 20))).hasSize(1);
  }

  @Test
  void enqueuedCallsAreRoutedAndRetriedToo() throws Exception {
    Backends backends = backends(3);
    backends.respond(0, request -> Backends.status(503));
    OkHttpClient client = client(interceptor(balancer(backends.serverList()))
        .circuitBreakerConfig(NEVER_OPENS).build());

    List<CompletableFuture<Integer>> codes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      CompletableFuture<Integer> code = new CompletableFuture<>();
      client.newCall(new Request.Builder().url("http://orders/async").build()).enqueue(new Callback() {
        @Override
        public void onResponse(Call call, Response response) {
          try (response) {
            code.complete(response.code());
          }
        }

        @Override
        public void onFailure(Call call, IOException e) {
          code.completeExceptionally(e);
        }
      });
      codes.add(code);
    }

    for (CompletableFuture<Integer> code : codes) {
      assertThat(code.get(10, TimeUnit.SECONDS)).isEqualTo(200);
    }
    assertThat(backends.requestCount(0)).as("503s that were retried").isPositive();
    assertThat(backends.requestCount(1) + backends.requestCount(2)).isEqualTo(20);
  }

  @Test
  void preservedHostHeaderNamesTheLogicalHost() throws Exception {
    Backends backends = backends(1);
    OkHttpClient client = client(interceptor(balancer(backends.serverList()))
        .preserveHostHeader(true).build());

    get(client, "http://orders/v1/items");

    assertThat(backends.server(0).takeRequest(1, TimeUnit.SECONDS).getHeaders().get("Host"))
        .isEqualTo("orders");
  }

  @Test
  void hostHeaderNamesTheEndpointByDefault() throws Exception {
    Backends backends = backends(1);
    OkHttpClient client = client(interceptor(balancer(backends.serverList())).build());

    get(client, "http://orders/v1/items");

    assertThat(backends.server(0).takeRequest(1, TimeUnit.SECONDS).getHeaders().get("Host"))
        .isEqualTo(backends.endpoint(0).address());
  }

  @Test
  void emptyServiceFailsWithAnIOExceptionSayingWhy() {
    OkHttpClient client = client(interceptor(balancer(MutableServerList.create())).build());

    assertThatThrownBy(() -> get(client, "http://orders/"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("service 'orders': no endpoint can take the call")
        .cause().isInstanceOfSatisfying(NoEndpointAvailableException.class,
            e -> assertThat(e.reason()).isEqualTo(NoEndpointAvailableException.Reason.EMPTY_LIST));
  }

  @Test
  void wrapWithServiceMapUsesDefaults() throws IOException {
    Backends backends = backends(2);
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(),
        Map.of("orders", balancer(backends.serverList())));

    assertThat(get(client, "http://orders/")).startsWith("200");
    assertThat(client.retryOnConnectionFailure()).isTrue();
    assertThat(client.interceptors()).hasSize(1);
    assertThat(client.networkInterceptors()).hasSize(1);
  }

  private static CircuitBreaker breaker(LoadBalancingInterceptor interceptor, Endpoint endpoint) {
    return interceptor.circuitBreakerRegistry().find("orders/" + endpoint.id()).orElseThrow();
  }

  private static CircuitBreaker.State breakerState(LoadBalancingInterceptor interceptor, Endpoint endpoint) {
    return interceptor.circuitBreakerRegistry().find("orders/" + endpoint.id())
        .map(CircuitBreaker::getState).orElse(CircuitBreaker.State.CLOSED);
  }
}
