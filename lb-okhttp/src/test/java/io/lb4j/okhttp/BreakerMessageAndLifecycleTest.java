package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointStats;
import io.lb4j.core.HealthTracker;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a refusal by open breakers says, and how a wrapped client and its interceptor end. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BreakerMessageAndLifecycleTest {
  @RegisterExtension final Harness harness = new Harness();

  private static CircuitBreaker breaker(LoadBalancingInterceptor interceptor, Endpoint endpoint) {
    return interceptor.circuitBreakerRegistry().find("orders/" + endpoint.id()).orElseThrow();
  }

  @Test
  void callRefusedByAnOpenBreakerSaysWhichBreakerIsOpen() throws IOException {
    Backends backends = harness.backends(1);
    // By default the max-ejection budget and panic keep a lone endpoint eligible despite its open
    // breaker; this tracker lets the breaker's verdict take it out, so the call is refused.
    HealthTracker strict = harness.closeLater(
        HealthTracker.builder().maxEjectionPercent(100).panicThresholdPercent(0).build());
    LoadBalancer balancer = harness.closeLater(LoadBalancer.builder(backends.serverList())
        .name("orders").healthTracker(strict).build());
    LoadBalancingInterceptor interceptor = harness.interceptor(balancer).build();
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(), interceptor);
    client.newCall(Harness.get("http://orders/")).execute().close(); // creates the breaker
    Endpoint only = backends.endpoint(0);
    breaker(interceptor, only).transitionToOpenState();

    assertThatThrownBy(() -> client.newCall(Harness.get("http://orders/")).execute())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("circuit breaker of " + only.id() + " is OPEN");
  }

  @Test
  void closedInterceptorNoLongerMarksEndpointsAndLiftsTheMarksItMade() throws IOException {
    Backends backends = harness.backends(2);
    MutableServerList servers = backends.serverList();
    LoadBalancer balancer = harness.balancer(servers);
    LoadBalancingInterceptor interceptor = harness.interceptor(balancer).build();
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(), interceptor);
    for (int i = 0; i < 2; i++) {
      client.newCall(Harness.get("http://orders/")).execute().close(); // creates both breakers
    }
    Endpoint opened = backends.endpoint(0);
    Endpoint later = backends.endpoint(1);
    breaker(interceptor, opened).transitionToOpenState();
    assertThat(balancer.healthTracker().isAvailable(opened)).isFalse();
    CircuitBreaker laterBreaker = breaker(interceptor, later);

    interceptor.close();

    assertThat(balancer.healthTracker().isAvailable(opened)).as("its mark lifted on close").isTrue();
    laterBreaker.transitionToOpenState();
    assertThat(balancer.healthTracker().isAvailable(later)).as("no mark after close").isTrue();
    assertThat(interceptor.circuitBreakerRegistry().getAllCircuitBreakers()).isEmpty();
    assertThatThrownBy(() -> client.newCall(Harness.get("http://orders/")).execute())
        .isInstanceOf(IOException.class).hasMessageContaining("closed");
  }

  @Test
  void wrapPutsItsNetworkMarkerFirstAndLeavesTheClientsOwnSettings() {
    Interceptor users = chain -> chain.proceed(chain.request());
    OkHttpClient original = new OkHttpClient.Builder().addNetworkInterceptor(users).build();
    Backends backends;
    try {
      backends = harness.backends(1);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }

    OkHttpClient wrapped = LoadBalancedOkHttp.wrap(original,
        harness.interceptor(harness.balancer(backends.serverList())).build());

    assertThat(wrapped.networkInterceptors()).hasSize(2).last().isSameAs(users);
    assertThat(wrapped.retryOnConnectionFailure()).isEqualTo(original.retryOnConnectionFailure());
    assertThat(wrapped.followRedirects()).isEqualTo(original.followRedirects());
    assertThat(wrapped.connectionPool()).isSameAs(original.connectionPool());
    assertThat(original.interceptors()).isEmpty();
  }

  @Test
  void hostsWithoutServiceKeepOkHttpsOwnRetryOfA408() throws IOException {
    Backends routed = harness.backends(1);
    Backends direct = harness.backends(1);
    direct.respondAll(request -> direct.requestCount(0) == 1 ? Backends.status(408) : Backends.ok(0));
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(),
        harness.interceptor(harness.balancer(routed.serverList())).build());

    try (Response response = client.newCall(Harness.get(direct.server(0).url("/").toString())).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }
    assertThat(direct.requestCount(0)).isEqualTo(2);
  }
  @Test
  void callInFlightWhenTheInterceptorClosesDoesNotRegisterItsBreakerAgain() throws Exception {
    Backends backends = harness.backends(1);
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    answerWhenReleased(backends, arrived, answer);
    LoadBalancingInterceptor interceptor =
        harness.interceptor(harness.balancer(backends.serverList())).build();
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(), interceptor);
    CompletableFuture<Response> call = Harness.enqueue(client.newCall(Harness.get("http://orders/")));
    assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

    interceptor.close();
    answer.countDown();
    call.get(10, TimeUnit.SECONDS).close();

    assertThat(interceptor.circuitBreakerRegistry().getAllCircuitBreakers()).isEmpty();
  }

  @Test
  void interruptedCallerIsNeitherTheEndpointsFailureNorRetried() throws Exception {
    Backends backends = harness.backends(2);
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    answerWhenReleased(backends, arrived, answer);
    LoadBalancer balancer = harness.balancer(backends.serverList());
    OkHttpClient client = LoadBalancedOkHttp.wrap(
        new OkHttpClient.Builder().readTimeout(Duration.ofMillis(300)).build(),
        harness.interceptor(balancer).build());
    AtomicReference<Thread> caller = new AtomicReference<>();
    CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
      caller.set(Thread.currentThread());
      Throwable thrown = catchThrowable(() -> client.newCall(Harness.get("http://orders/")).execute());
      boolean stillInterrupted = Thread.interrupted();
      return stillInterrupted ? thrown : new AssertionError("interrupt flag lost", thrown);
    });
    assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

    caller.get().interrupt();

    assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    answer.countDown();
    assertThat(backends.totalRequests()).as("attempts made").isEqualTo(1);
    for (Endpoint endpoint : backends.endpoints()) {
      EndpointStats stats = Harness.stats(balancer, endpoint);
      assertThat(stats.failures()).isZero();
      assertThat(stats.inFlight()).isZero();
    }
  }

  /** Every backend counts {@code arrived} down, then answers once {@code answer} is. */
  private static void answerWhenReleased(Backends backends, CountDownLatch arrived,
      CountDownLatch answer) {
    backends.respondAll(request -> {
      arrived.countDown();
      awaitQuietly(answer);
      return Backends.ok(0);
    });
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
