package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointStats;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import okio.BufferedSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Hedged requests on real loopback servers, with the library's defaults otherwise. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HedgingTest {
  private static final HedgingPolicy FAST_HEDGE = HedgingPolicy.builder()
      .maxAttempts(2).delay(Duration.ofMillis(30)).build();
  @RegisterExtension final Harness harness = new Harness();

  private static MockResponse stalled(long millis, int server) {
    return new MockResponse.Builder().code(200).setHeader("X-Server", server).body("slow")
        .headersDelay(millis, TimeUnit.MILLISECONDS).build();
  }

  private OkHttpClient client(LoadBalancer balancer, HedgingPolicy policy, Duration callTimeout) {
    return LoadBalancedOkHttp.wrap(new OkHttpClient.Builder().callTimeout(callTimeout).build(),
        harness.interceptor(balancer).hedging(policy).build());
  }

  @Test
  void stalledInstanceIsHedgedToAnotherAndTheLoserIsCanceledNotFailed() throws IOException {
    Backends backends = harness.backends(2);
    backends.respond(0, request -> stalled(5_000, 0));
    LoadBalancer balancer = harness.balancer(backends.serverList());
    OkHttpClient client = client(balancer, FAST_HEDGE, Duration.ofSeconds(10));

    for (int i = 0; i < 4; i++) {
      try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
        assertThat(response.header("X-Server")).isEqualTo("1");
        assertThat(response.body().string()).isEqualTo("ok");
      }
    }

    EndpointStats stalled = Harness.stats(balancer, backends.endpoint(0));
    assertThat(backends.requestCount(0)).as("calls that began at the stalled one").isPositive();
    assertThat(stalled.failures()).isZero();
    assertThat(stalled.successes()).isZero();
    assertThat(stalled.inFlight()).isZero();
    assertThat(Harness.stats(balancer, backends.endpoint(1)).successes()).isEqualTo(4);
  }

  @Test
  void enqueuedHedgedCallsOnABoundedDispatcherDoNotStarveTheirOwnAttempts() throws Exception {
    Backends backends = harness.backends(2);
    ExecutorService oneThread = Executors.newFixedThreadPool(1);
    harness.closeLater(oneThread::shutdownNow);
    OkHttpClient original = new OkHttpClient.Builder()
        .dispatcher(new okhttp3.Dispatcher(oneThread)).build();
    OkHttpClient client = LoadBalancedOkHttp.wrap(original,
        harness.interceptor(harness.balancer(backends.serverList())).hedging(FAST_HEDGE).build());

    // The one dispatcher thread runs the hedged call, which waits there for its attempts.
    try (Response response = Harness.enqueue(client.newCall(Harness.get("http://orders/")))
        .get(10, TimeUnit.SECONDS)) {
      assertThat(response.code()).isEqualTo(200);
    }
  }

  @Test
  void cancelingAHedgedCallStopsTheWinnersBodyReadAndCountsNeitherWay() throws Exception {
    HeldStreamServer server = harness.closeLater(HeldStreamServer.chunked("application/json"));
    LoadBalancer balancer = harness.balancer(MutableServerList.of(List.of(server.endpoint())));
    OkHttpClient client = client(balancer, FAST_HEDGE, Duration.ofSeconds(60));
    Call call = client.newCall(Harness.get("http://orders/watch"));

    try (Response response = call.execute()) {
      BufferedSource body = response.body().source();
      HeldStreamServer.readFirst(body);

      assertThat(HeldStreamServer.cancelDuringRead(call, body)).isInstanceOf(IOException.class);
    }

    EndpointStats stats = Harness.stats(balancer, server.endpoint());
    assertThat(stats.failures()).isZero();
    assertThat(stats.inFlight()).isZero();
  }

  @Test
  void callTimeoutBlamesTheAttemptThatHadItsChanceNotAHedgeLaunchedMomentsBeforeIt()
      throws IOException {
    Backends backends = harness.backends(2);
    backends.respondAll(request -> stalled(10_000, 0));
    LoadBalancer balancer = harness.balancer(backends.serverList());
    Map<CallListener.AttemptKind, CallListener.Outcome> ends = new ConcurrentHashMap<>();
    HedgingPolicy lateHedge = HedgingPolicy.builder()
        .maxAttempts(2).delay(Duration.ofMillis(1_900)).build();
    OkHttpClient client = LoadBalancedOkHttp.wrap(
        new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(2)).build(),
        harness.interceptor(balancer).hedging(lateHedge).callListener(new CallListener() {
          @Override
          public void attemptEnded(String service, Endpoint endpoint, AttemptKind kind,
              Outcome outcome, long latencyNanos) {
            ends.put(kind, outcome);
          }
        }).build());

    assertThatThrownBy(() -> client.newCall(Harness.get("http://orders/")).execute())
        .isInstanceOf(IOException.class);

    // The first ran the whole 2 s; the hedge about 100 ms, under a tenth of it.
    assertThat(ends).containsExactlyInAnyOrderEntriesOf(Map.of(
        CallListener.AttemptKind.FIRST, CallListener.Outcome.IO_ERROR,
        CallListener.AttemptKind.HEDGE, CallListener.Outcome.CANCELED));
    long failures = 0;
    for (Endpoint endpoint : backends.endpoints()) {
      EndpointStats stats = Harness.stats(balancer, endpoint);
      failures += stats.failures();
      assertThat(stats.inFlight()).isZero();
    }
    assertThat(failures).isEqualTo(1);
  }

  @Test
  void enqueuedCallsAreHedgedToo() throws Exception {
    Backends backends = harness.backends(2);
    backends.respond(0, request -> stalled(5_000, 0));
    OkHttpClient client = client(harness.balancer(backends.serverList()), FAST_HEDGE,
        Duration.ofSeconds(10));

    for (int i = 0; i < 4; i++) {
      try (Response response = Harness.enqueue(client.newCall(Harness.get("http://orders/")))
          .get(5, TimeUnit.SECONDS)) {
        assertThat(response.header("X-Server")).isEqualTo("1");
      }
    }
    assertThat(backends.requestCount(0)).isPositive();
  }

  @Test
  void postIsNeverHedged() throws IOException {
    Backends backends = harness.backends(2);
    backends.respondAll(request -> stalled(300, 0));
    OkHttpClient client = client(harness.balancer(backends.serverList()), FAST_HEDGE,
        Duration.ofSeconds(10));

    try (Response response = client.newCall(Harness.post("http://orders/")).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }
    assertThat(backends.totalRequests()).isEqualTo(1);
  }

  @Test
  void hedgesNeverGoToTheSameInstanceTwice() throws IOException {
    Backends backends = harness.backends(1);
    backends.respondAll(request -> stalled(300, 0));
    HedgingPolicy eager = HedgingPolicy.builder().maxAttempts(5).delay(Duration.ofMillis(5)).build();
    OkHttpClient client = client(harness.balancer(backends.serverList()), eager, Duration.ofSeconds(10));

    try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }
    assertThat(backends.totalRequests()).isEqualTo(1);
  }

  @Test
  void nonFatalStatusSendsTheNextHedgeAtOnce() throws IOException {
    Backends backends = harness.backends(2);
    backends.respond(0, request -> Backends.status(503));
    HedgingPolicy patient = HedgingPolicy.builder().maxAttempts(2).delay(Duration.ofMinutes(1))
        .nonFatalStatuses(503).build();
    OkHttpClient client = client(harness.balancer(backends.serverList()), patient, Duration.ofSeconds(5));

    for (int i = 0; i < 4; i++) {
      try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }
    }
    assertThat(backends.requestCount(0)).isPositive();
  }

  @Test
  void failedAttemptSendsTheNextHedgeAtOnceAndCountsAgainstItsInstance() throws IOException {
    Backends backends = harness.backends(2);
    backends.respond(0, request ->
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    LoadBalancer balancer = harness.balancer(backends.serverList());
    HedgingPolicy patient = HedgingPolicy.builder().maxAttempts(2).delay(Duration.ofMinutes(1)).build();
    OkHttpClient client = client(balancer, patient, Duration.ofSeconds(5));

    for (int i = 0; i < 4; i++) {
      try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }
    }
    assertThat(backends.requestCount(0)).isPositive();
    assertThat(Harness.stats(balancer, backends.endpoint(0)).failures())
        .isEqualTo(backends.requestCount(0));
  }

  @Test
  void emptyRetryBudgetSendsNoHedge() throws IOException {
    Backends backends = harness.backends(2);
    backends.respondAll(request -> stalled(200, 0));
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(),
        harness.interceptor(harness.balancer(backends.serverList())).hedging(FAST_HEDGE)
            .retryBudgetPercent(0).minRetriesPerSecond(0).build());

    for (int i = 0; i < 3; i++) {
      try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }
    }
    assertThat(backends.totalRequests()).isEqualTo(3);
  }

  @Test
  void callTimeoutBoundsTheWholeSetAndCountsTheUnansweredAsFailures() throws IOException {
    Backends backends = harness.backends(3);
    backends.respondAll(request -> stalled(10_000, 0));
    LoadBalancer balancer = harness.balancer(backends.serverList());
    HedgingPolicy three = HedgingPolicy.builder().maxAttempts(3).delay(Duration.ofMillis(20)).build();
    OkHttpClient client = client(balancer, three, Duration.ofMillis(400));

    assertThat(catchThrowableOfType(InterruptedIOException.class,
        () -> client.newCall(Harness.get("http://orders/")).execute())).isNotNull();

    long failures = 0;
    for (int i = 0; i < 3; i++) {
      EndpointStats stats = Harness.stats(balancer, backends.endpoint(i));
      assertThat(stats.inFlight()).isZero();
      failures += stats.failures();
    }
    assertThat(backends.totalRequests()).isEqualTo(3);
    assertThat(failures).isEqualTo(3);
  }

  @Test
  void policyValidatesLikeGrfcA6() {
    assertThatThrownBy(() -> HedgingPolicy.builder().maxAttempts(6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be in [2, 5], was 6");
    assertThatThrownBy(() -> HedgingPolicy.builder().maxAttempts(1))
        .hasMessage("maxAttempts must be in [2, 5], was 1");
    assertThatThrownBy(() -> HedgingPolicy.builder().delay(Duration.ofMillis(-1)))
        .hasMessage("hedging delay must be >= 0, was PT-0.001S");
    assertThatThrownBy(() -> HedgingPolicy.builder().latencyPercentile(100, Duration.ZERO))
        .hasMessage("percentile must be in (0, 100), was 100.0");
    assertThatThrownBy(() -> HedgingPolicy.builder().latencyPercentile(95, Duration.ofMillis(-2)))
        .hasMessage("hedging floor must be >= 0, was PT-0.002S");
    assertThatThrownBy(() -> HedgingPolicy.builder().nonFatalStatuses(600))
        .hasMessage("non-fatal status must be in [100, 599], was 600");
  }

  @Test
  void adaptiveDelayIsThePercentileOfRecentLatenciesButNotBelowTheFloor() {
    HedgingPolicy adaptive = HedgingPolicy.builder()
        .latencyPercentile(95, Duration.ofMillis(10)).build();

    assertThat(adaptive.delayNanos(0)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(10));
    assertThat(adaptive.delayNanos(TimeUnit.MILLISECONDS.toNanos(40)))
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
  }
}
