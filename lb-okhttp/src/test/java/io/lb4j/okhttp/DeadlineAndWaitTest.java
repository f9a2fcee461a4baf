package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lb4j.core.EndpointStats;
import io.lb4j.core.LoadBalancer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Call timeouts and cancel: how they bound attempts and waits, and whom they blame. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeadlineAndWaitTest {
  @RegisterExtension final Harness harness = new Harness();
  private final List<Long> waits = new CopyOnWriteArrayList<>();

  private static MockResponse delayed(long millis) {
    return new MockResponse.Builder().code(200).body("ok").headersDelay(millis, TimeUnit.MILLISECONDS)
        .build();
  }

  private static MockResponse unavailable(String retryAfter) {
    return new MockResponse.Builder().code(503).setHeader("Retry-After", retryAfter).body("busy")
        .build();
  }

  @Test
  void firstAttemptGetsTheWholeCallTimeoutAsAPlainClientWould() throws IOException {
    Backends backends = harness.backends(3);
    // Slower than a third of the call timeout, well within all of it.
    backends.respondAll(request -> delayed(600));
    OkHttpClient client = LoadBalancedOkHttp.wrap(
        new OkHttpClient.Builder().callTimeout(Duration.ofMillis(1800)).build(),
        harness.interceptor(harness.balancer(backends.serverList())).build());

    for (int i = 0; i < 3; i++) {
      try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }
    }
    assertThat(backends.totalRequests()).isEqualTo(3);
  }

  @Test
  void perTryTimeoutGivesEachAttemptItsTurnWithinTheCallTimeout() throws IOException {
    Backends backends = harness.backends(3);
    backends.respondAll(request -> delayed(10_000));
    LoadBalancingInterceptor interceptor = harness.interceptor(harness.balancer(backends.serverList()))
        .perTryTimeout(Duration.ofMillis(300)).build();
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient.Builder()
        .readTimeout(Duration.ofSeconds(30)).callTimeout(Duration.ofSeconds(5)).build(), interceptor);

    IOException failure = catchThrowableOfType(IOException.class,
        () -> client.newCall(Harness.get("http://orders/slow")).execute());

    assertThat(failure).isNotNull();
    assertThat(failure.getSuppressed()).hasSize(2);
    assertThat(backends.totalRequests()).isEqualTo(3);
  }

  @Test
  void retryAfterLongerThanTheTimeLeftIsNotWaitedTheLastAnswerReturnsAtOnce() throws IOException {
    Backends backends = harness.backends(2);
    backends.respondAll(request -> unavailable("10"));
    OkHttpClient client = LoadBalancedOkHttp.wrap(
        new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(3)).build(),
        harness.interceptor(harness.balancer(backends.serverList()))
            .retryAfterCap(Duration.ofSeconds(10))
            .sleeper((nanos, call) -> waits.add(nanos)).build());

    try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
      assertThat(response.code()).isEqualTo(503);
    }

    assertThat(waits).isEmpty();
    assertThat(backends.totalRequests()).isEqualTo(1);
  }

  @Test
  void cancelDuringARetryAfterWaitEndsTheCallAndTheWaitHoldsNoOpenBody() throws Exception {
    Backends backends = harness.backends(2);
    backends.respondAll(request -> unavailable("30"));
    AtomicInteger bodiesEnded = new AtomicInteger();
    OkHttpClient plain = new OkHttpClient.Builder().eventListener(new EventListener() {
      @Override
      public void responseBodyEnd(Call call, long byteCount) {
        bodiesEnded.incrementAndGet();
      }
    }).build();
    OkHttpClient client = LoadBalancedOkHttp.wrap(plain,
        harness.interceptor(harness.balancer(backends.serverList()))
            .retryAfterCap(Duration.ofSeconds(60)).build());
    Call call = client.newCall(Harness.get("http://orders/"));
    CompletableFuture<Response> result = CompletableFuture.supplyAsync(() -> {
      try {
        return call.execute();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });

    // Waiting out Retry-After: 30, the first answer's body closed.
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
        .until(() -> bodiesEnded.get() == 1);
    call.cancel();

    // Well before the 30 s wait would have ended.
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(result::isDone);
    assertThat(result).isCompletedExceptionally();
    assertThat(backends.totalRequests()).isEqualTo(1);
  }

  @Test
  void callTimeoutDuringAnAttemptIsTheEndpointsFailureWithTheElapsedTime() throws IOException {
    Backends backends = harness.backends(1);
    backends.respondAll(request -> delayed(10_000));
    LoadBalancer balancer = harness.balancer(backends.serverList());
    LoadBalancingInterceptor interceptor = harness.interceptor(balancer).maxAttempts(1)
        .circuitBreakerConfig(CircuitBreakerConfig.custom().slidingWindowSize(3)
            .minimumNumberOfCalls(3).waitDurationInOpenState(Duration.ofMinutes(5)).build())
        .build();
    OkHttpClient client = LoadBalancedOkHttp.wrap(
        new OkHttpClient.Builder().callTimeout(Duration.ofMillis(600)).build(), interceptor);

    for (int i = 0; i < 3; i++) {
      assertThat(catchThrowableOfType(InterruptedIOException.class,
          () -> client.newCall(Harness.get("http://orders/")).execute())).isNotNull();
    }

    EndpointStats stats = Harness.stats(balancer, backends.endpoint(0));
    assertThat(stats.failures()).isEqualTo(3);
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.latencyNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
    assertThat(interceptor.circuitBreakerRegistry().find("orders/" + backends.endpoint(0).id())
        .orElseThrow().getMetrics().getNumberOfFailedCalls()).isEqualTo(3);
  }

  @Test
  void callersOwnCancelUnderACallTimeoutRecordsNothing() throws Exception {
    Backends backends = harness.backends(1);
    backends.respondAll(request -> delayed(10_000));
    LoadBalancer balancer = harness.balancer(backends.serverList());
    OkHttpClient client = LoadBalancedOkHttp.wrap(
        new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(20)).build(),
        harness.interceptor(balancer).build());
    Call call = client.newCall(Harness.get("http://orders/"));
    CompletableFuture<Response> result = Harness.enqueue(call);
    assertThat(backends.server(0).takeRequest(5, TimeUnit.SECONDS)).isNotNull();

    call.cancel();

    Awaitility.await().atMost(Duration.ofSeconds(5)).until(result::isDone);
    EndpointStats stats = Harness.stats(balancer, backends.endpoint(0));
    assertThat(stats.failures()).isZero();
    assertThat(stats.inFlight()).isZero();
  }
}
