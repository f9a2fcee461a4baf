package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Endpoint;
import io.lb4j.core.HealthEvent.Type;
import io.lb4j.core.HealthEvent;
import io.lb4j.core.HealthTracker;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import io.lb4j.core.Pick;
import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class OkHttpHealthCheckTest {
  private final Backends backends;
  private final OkHttpHealthCheck check = OkHttpHealthCheck.builder(new OkHttpClient())
      .path("/ready").timeout(Duration.ofMillis(500)).build();

  OkHttpHealthCheckTest() throws IOException {
    backends = new Backends(1);
  }

  private final List<LoadBalancer> balancers = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    balancers.forEach(LoadBalancer::close);
    backends.close();
  }

  /** Makes {@code endpoint} a member the tracker follows, as a balancer using it does. */
  private void follow(HealthTracker tracker, Endpoint endpoint) {
    balancers.add(LoadBalancer.builder(MutableServerList.of(endpoint)).healthTracker(tracker).build());
  }

  @Test
  void expectedStatusOnThePathIsHealthy() throws Exception {
    assertThat(check.check(backends.endpoint(0)).get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(backends.server(0).takeRequest(1, TimeUnit.SECONDS).getUrl().encodedPath()).isEqualTo("/ready");
  }

  @Test
  void unexpectedStatusIsUnhealthy() throws Exception {
    backends.respond(0, request -> Backends.status(503));

    assertThat(check.check(backends.endpoint(0)).get(5, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void customRangeDecides() throws Exception {
    backends.respond(0, request -> Backends.status(404));
    OkHttpHealthCheck lenient = OkHttpHealthCheck.builder(new OkHttpClient()).expectedStatus(200, 499).build();

    assertThat(lenient.check(backends.endpoint(0)).get(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void refusedConnectionIsUnhealthy() throws Exception {
    assertThat(check.check(Backends.refusedEndpoint()).get(5, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void endpointOkHttpCannotAddressFailsTheProbeWithoutThrowingOrProbingAnotherName()
      throws Exception {
    List<String> lookedUp = new CopyOnWriteArrayList<>();
    OkHttpHealthCheck recording = OkHttpHealthCheck.builder(new OkHttpClient.Builder()
        .dns(hostname -> {
          lookedUp.add(hostname);
          throw new UnknownHostException(hostname + ": no name resolves in this test");
        }).build()).build();

    // HttpUrl refuses the first; it would turn the second into xn--ab.example, another name.
    for (String host : List.of("xn--zz.example", "xn---ab.example")) {
      assertThat(recording.check(Endpoint.of(host, 80)).toCompletableFuture()).as(host)
          .failsWithin(Duration.ofSeconds(5)).withThrowableThat().withMessageContaining(host);
    }
    assertThat(lookedUp).isEmpty();
  }

  @Test
  void answerSlowerThanTheTimeoutIsUnhealthy() throws Exception {
    backends.respond(0, request -> new MockResponse.Builder().code(200)
        .headersDelay(3, TimeUnit.SECONDS).build());

    assertThat(check.check(backends.endpoint(0)).get(5, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void cancellingTheProbeCancelsItsCall() throws Exception {
    backends.respond(0, request -> new MockResponse.Builder().code(200)
        .headersDelay(10, TimeUnit.SECONDS).build());
    CountDownLatch canceled = new CountDownLatch(1);
    OkHttpClient client = new OkHttpClient.Builder().eventListener(new EventListener() {
      @Override
      public void canceled(Call call) {
        canceled.countDown();
      }
    }).build();
    CompletableFuture<Boolean> probe = OkHttpHealthCheck.builder(client).build()
        .check(backends.endpoint(0));
    assertThat(backends.server(0).takeRequest(5, TimeUnit.SECONDS)).isNotNull();

    probe.cancel(false);

    assertThat(canceled.await(5, TimeUnit.SECONDS)).as("the OkHttp call was canceled").isTrue();
  }

  @Test
  void trackerProbingOverHttpTakesAnEndpointDownOn500sAndBackWhenItRecovers() {
    Endpoint endpoint = backends.endpoint(0);
    try (HealthTracker tracker = probingTracker()) {
      List<HealthEvent> events = new CopyOnWriteArrayList<>();
      tracker.subscribeEvents(events::add);
      follow(tracker, endpoint);

      backends.respond(0, request -> Backends.status(500));
      awaitAvailable(tracker, endpoint, false);
      backends.respond(0, request -> Backends.ok(0));
      awaitAvailable(tracker, endpoint, true);

      assertThat(events).extracting(HealthEvent::type).containsSubsequence(Type.PROBE_DOWN, Type.PROBE_UP);
      assertThat(backends.server(0).getRequestCount()).isGreaterThanOrEqualTo(4);
    }
  }

  /**
   * The tests above lift the ejection cap and stop slow start to probe a lone member; here the
   * tracker keeps its defaults (50% cap, panic, slow start) over three instances: the one failing
   * its probes is taken out, picks go to the other two, and it comes back when it recovers.
   */
  @Test
  void withTheTrackersDefaultsAFailingProbeTakesOneOfThreeOutAndItComesBack() throws IOException {
    try (Backends three = new Backends(3);
        HealthTracker tracker = HealthTracker.builder().healthCheck(check)
            .healthCheckInterval(Duration.ofMillis(250)).healthCheckTimeout(Duration.ofMillis(200))
            .build()) {
      Endpoint sick = three.endpoint(0);
      LoadBalancer balancer = LoadBalancer.builder(
          MutableServerList.of(sick, three.endpoint(1), three.endpoint(2)))
          .healthTracker(tracker).build();
      balancers.add(balancer);
      three.respond(0, request -> Backends.status(500));

      awaitAvailable(tracker, sick, false);
      for (int i = 0; i < 30; i++) {
        try (Pick pick = balancer.pick()) {
          assertThat(pick.endpoint()).isNotEqualTo(sick);
          pick.complete(true);
        }
      }
      three.respond(0, request -> Backends.ok(0));
      awaitAvailable(tracker, sick, true);
    }
  }

  @Test
  void trackerProbingOverHttpTakesAStoppedServerDownAndBackOnceItRestarts() throws IOException {
    MockWebServer server = alwaysOk();
    server.start(Backends.LOOPBACK, 0);
    int port = server.getPort();
    Endpoint endpoint = Endpoint.of(Backends.LOOPBACK.getHostAddress(), port);
    try (HealthTracker tracker = probingTracker()) {
      follow(tracker, endpoint);

      server.close();
      awaitAvailable(tracker, endpoint, false);
      MockWebServer restarted = alwaysOk();
      try (restarted) {
        restarted.start(Backends.LOOPBACK, port);
        awaitAvailable(tracker, endpoint, true);
      }
    }
  }

  @Test
  void trackerTimeoutCancelsTheHangingProbesCallAndCountsItAsAFailure() {
    backends.respond(0, request -> new MockResponse.Builder().code(200)
        .headersDelay(10, TimeUnit.SECONDS).build());
    AtomicInteger canceled = new AtomicInteger();
    OkHttpClient client = new OkHttpClient.Builder().eventListener(new EventListener() {
      @Override
      public void canceled(Call call) {
        canceled.incrementAndGet();
      }
    }).build();
    // The check's own timeout (5 s) is far longer than the tracker's (200 ms): the tracker cancels.
    OkHttpHealthCheck slowCheck = OkHttpHealthCheck.builder(client).timeout(Duration.ofSeconds(5)).build();
    Endpoint endpoint = backends.endpoint(0);
    try (HealthTracker tracker = HealthTracker.builder().healthCheck(slowCheck).maxEjectionPercent(100)
        .healthCheckInterval(Duration.ofMillis(250)).healthCheckTimeout(Duration.ofMillis(200))
        .healthCheckJitterPercent(0).unhealthyThreshold(2).slowStartWindow(Duration.ZERO).build()) {
      follow(tracker, endpoint);

      awaitAvailable(tracker, endpoint, false);
      // The tracker reports the timed-out probe first, then cancels it.
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> canceled.get() >= 2);
    }
  }

  /**
   * Probes every 250 ms, 2 in a row to flip; the tracker's timeout cuts the check's 500 ms. A
   * budget of 100% lets probes take out the single member (by default, 50% of 1 rounds to none).
   */
  private HealthTracker probingTracker() {
    return HealthTracker.builder().healthCheck(check).maxEjectionPercent(100)
        .healthCheckInterval(Duration.ofMillis(250)).healthCheckTimeout(Duration.ofMillis(200))
        .healthCheckJitterPercent(0).unhealthyThreshold(2).healthyThreshold(2)
        .slowStartWindow(Duration.ZERO).build();
  }

  private static void awaitAvailable(HealthTracker tracker, Endpoint endpoint, boolean available) {
    Awaitility.await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(20))
        .until(() -> tracker.isAvailable(endpoint) == available);
  }

  private static MockWebServer alwaysOk() {
    MockWebServer server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return Backends.ok(0);
      }
    });
    return server;
  }

  @Test
  void badSettingsAreRejected() {
    OkHttpHealthCheck.Builder builder = OkHttpHealthCheck.builder(new OkHttpClient());
    assertThatThrownBy(() -> builder.path("ready"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("path must start with '/', was 'ready'");
    assertThatThrownBy(() -> builder.expectedStatus(300, 200))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("max status must be in [300, 599], was 200");
    assertThatThrownBy(() -> builder.expectedStatus(99, 200))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("min status must be in [100, 599], was 99");
    assertThatThrownBy(() -> builder.timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be > 0, was PT0S");
    assertThatThrownBy(() -> OkHttpHealthCheck.builder(null))
        .isInstanceOf(NullPointerException.class).hasMessage("client");
  }
}
