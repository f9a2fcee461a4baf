package io.lb4j.consul;

import static io.lb4j.testkit.DiscoverySourceContract.awaitAnswer;
import static io.lb4j.testkit.DiscoverySourceContract.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.Pick;
import io.lb4j.core.RandomSource;
import io.lb4j.core.discovery.DiscoveryOptions;
import io.lb4j.testkit.DiscoverySourceContract.Instance;
import io.lb4j.testkit.ManualScheduler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Consul-specific behaviour against a scripted health endpoint on loopback (no real Consul). */
class ConsulServerListTest {
  private static final Instance A = new Instance("10.0.0.1", 8080, 10);
  private static final Instance B = new Instance("10.0.0.2", 8081, 20);
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private FakeConsul consul;

  @BeforeEach
  void startConsul() throws IOException {
    consul = FakeConsul.start();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    consul.close();
  }

  private ConsulServerList.Builder builder() {
    return ConsulServerList.builder(FakeConsul.SERVICE).agent(consul.url())
        .wait(Duration.ofSeconds(2))
        .options(DiscoveryOptions.builder().scheduler(scheduler).clock(scheduler.clock())
            .random(RandomSource.seeded(5)).initialWait(Duration.ofHours(1)).build());
  }

  private ConsulServerList start(ConsulServerList.Builder builder) {
    ConsulServerList list = builder.build();
    closeables.add(list);
    return list;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ConsulServerListTest.class.getResourceAsStream("/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private HttpUrl lastRequestUrl() {
    List<RecordedRequest> requests = consul.requests();
    return requests.get(requests.size() - 1).getUrl();
  }

  /** The library's defaults (shared scheduler, real time), with room for a loaded test machine. */
  private static DiscoveryOptions defaultsWithPatientStart() {
    return DiscoveryOptions.defaults().toBuilder().initialWait(DEADLINE).build();
  }

  @Test
  void documentedResponseShapeBecomesEndpointsWithNodeAddressFallbackAndPassingWeight()
      throws IOException {
    consul.body(resource("health-service-documented.json"));
    ConsulServerList list = start(builder());

    awaitAnswer(scheduler, list);

    assertThat(list.endpoints()).containsExactly(
        Endpoint.builder("10.1.10.12", 8000).weight(10).metadata("redis_version", "4.0")
            .metadata("consul.id", "redis").metadata("consul.node", "foobar")
            .metadata("consul.tags", "primary").build(),
        Endpoint.builder("10.1.10.13", 8001).weight(1).metadata("consul.id", "redis-b")
            .metadata("consul.node", "node-b").build());
  }

  @Test
  void malformedEntriesAreSkippedOneByOneAndTheGoodOneKept() throws IOException {
    consul.body(resource("health-service-malformed.json"));
    ConsulServerList list = start(builder());

    awaitAnswer(scheduler, list);

    assertThat(list.endpoints()).extracting(Endpoint::address).containsExactly("10.0.0.8:8080");
    assertThat(list.endpoints().get(0).weight()).isEqualTo(3);
    assertThat(list.status().skippedEntries()).isEqualTo(7);
  }

  @Test
  void bodyThatIsNotJsonFailsTheQueryAndKeepsTheList() {
    consul.register(List.of(A, B));
    ConsulServerList list = start(builder());
    awaitAnswer(scheduler, list);

    consul.body("<html><body>502 Bad Gateway</body></html>");
    awaitFailure(scheduler, list);

    assertThat(list.endpoints()).extracting(Endpoint::address)
        .containsExactlyInAnyOrder("10.0.0.1:8080", "10.0.0.2:8081");
    assertThat(list.status().lastError()).get().asString().contains("JsonParseException");
  }

  @Test
  void requestsCarryPassingTokenDatacenterTagsAndThenTheBlockingIndexAndWait() {
    consul.register(List.of(A));
    consul.index(7);
    ConsulServerList list = start(builder().token("s3cr3t").datacenter("dc2").tag("v2")
        .tag("canary"));

    awaitAnswer(scheduler, list);
    RecordedRequest first = consul.requests().get(0);
    assertThat(first.getUrl().encodedPath()).isEqualTo("/v1/health/service/orders");
    assertThat(first.getUrl().queryParameter("passing")).isEqualTo("true");
    assertThat(first.getUrl().queryParameter("dc")).isEqualTo("dc2");
    assertThat(first.getUrl().queryParameterValues("tag")).containsExactly("v2", "canary");
    assertThat(first.getUrl().queryParameter("index")).isNull();
    assertThat(first.getHeaders().get("X-Consul-Token")).isEqualTo("s3cr3t");

    consul.register(List.of(A, B));
    awaitAnswer(scheduler, list);
    HttpUrl second = consul.requests().get(1).getUrl();
    assertThat(second.queryParameter("index")).isEqualTo("7");
    assertThat(second.queryParameter("wait")).isEqualTo("2000ms");
    assertThat(list.endpoints()).hasSize(2);
  }

  @Test
  void indexGoingBackwardsIsResetSoTheNextQueryAsksWithoutOne() {
    // Like Consul, the fake holds the query on index 10 until the wait ends, then answers 5.
    consul.register(List.of(A));
    consul.index(10);
    ConsulServerList list = start(builder().wait(Duration.ofMillis(300)));
    awaitAnswer(scheduler, list);

    consul.index(5);
    awaitAnswer(scheduler, list);
    assertThat(lastRequestUrl().queryParameter("index")).isEqualTo("10");

    awaitAnswer(scheduler, list);
    assertThat(lastRequestUrl().queryParameter("index")).isNull();
  }

  @Test
  void indexBelowOneIsSentAsOneSoQueriesStillBlock() {
    consul.register(List.of(A));
    consul.index(0);
    ConsulServerList list = start(builder());
    awaitAnswer(scheduler, list);

    consul.index(3);
    awaitAnswer(scheduler, list);

    assertThat(lastRequestUrl().queryParameter("index")).isEqualTo("1");
  }

  @Test
  void failedQueryResetsTheIndexSoARecoveredAgentAnswersAtOnce() {
    consul.register(List.of(A));
    consul.index(7);
    ConsulServerList list = start(builder());
    awaitAnswer(scheduler, list);

    consul.failWith(500, "rpc error making call: No cluster leader");
    awaitFailure(scheduler, list);
    assertThat(list.status().lastError()).get().asString()
        .contains("HTTP 500", "No cluster leader");
    consul.failWith(0, null);
    awaitAnswer(scheduler, list);

    assertThat(lastRequestUrl().queryParameter("index")).isNull();
  }

  @Test
  void connectionDroppedDuringABlockingQueryKeepsTheListAndTheNextQueryResyncs() {
    consul.register(List.of(A, B));
    ConsulServerList list = start(builder().wait(Duration.ofMinutes(1)));
    awaitAnswer(scheduler, list);

    int before = list.status().consecutiveFailures();
    long scheduled = scheduler.scheduledCount();
    scheduler.runNext();
    await().atMost(DEADLINE).until(() -> consul.held() == 1);
    consul.dropConnections(true);
    await().atMost(DEADLINE).until(() -> list.status().consecutiveFailures() > before
        && scheduler.scheduledCount() > scheduled);

    assertThat(list.endpoints()).hasSize(2);
    assertThat(list.status().lastError()).get().isInstanceOf(IOException.class);
    consul.dropConnections(false);
    consul.register(List.of(B));
    awaitAnswer(scheduler, list);
    assertThat(lastRequestUrl().queryParameter("index")).isNull();
    assertThat(list.endpoints()).extracting(Endpoint::address).containsExactly("10.0.0.2:8081");
  }

  @Test
  void stoppedAgentKeepsTheList() {
    consul.register(List.of(A, B));
    ConsulServerList list = start(builder());
    awaitAnswer(scheduler, list);

    consul.close();
    awaitFailure(scheduler, list);
    awaitFailure(scheduler, list);

    assertThat(list.endpoints()).hasSize(2);
    assertThat(list.status().consecutiveFailures()).isEqualTo(2);
    assertThat(list.status().lastError()).get().isInstanceOf(IOException.class);
  }

  @Test
  void loopWaitsOutTheMinQueryIntervalAfterAQuickAnswerButNotAfterABlockedOne() {
    consul.register(List.of(A));
    ConsulServerList list = start(builder().minQueryInterval(Duration.ofSeconds(3)));
    awaitAnswer(scheduler, list);
    assertThat(scheduler.nextDelay()).contains(Duration.ofSeconds(3));

    long before = list.status().answers();
    long scheduled = scheduler.scheduledCount();
    scheduler.runNext();
    scheduler.advance(Duration.ofSeconds(5));
    consul.register(List.of(A, B));
    await().atMost(DEADLINE)
        .until(() -> list.status().answers() > before && scheduler.scheduledCount() > scheduled);

    assertThat(scheduler.nextDelay()).contains(Duration.ZERO);
  }

  @Test
  void runningLoadBalancerWithDefaultsFollowsAChangeWithoutWaitingOutTheBlockingQuery()
      throws Exception {
    consul.register(List.of(A, B));
    ConsulServerList list = ConsulServerList.builder(FakeConsul.SERVICE).agent(consul.url())
        .wait(Duration.ofMinutes(1)).options(defaultsWithPatientStart()).build();
    closeables.add(list);
    LoadBalancer balancer = LoadBalancer.builder(list).name("orders").build();
    closeables.add(balancer);
    list.whenReady().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(balancer.endpoints()).hasSize(2);
    await().atMost(DEADLINE).until(() -> lastRequestUrl().queryParameter("index") != null);

    consul.register(List.of(B));

    await().atMost(DEADLINE).until(() -> balancer.endpoints().size() == 1);
    for (int i = 0; i < 10; i++) {
      Pick pick = balancer.pick();
      assertThat(pick.endpoint().address()).isEqualTo("10.0.0.2:8081");
      pick.complete(true, 1_000_000);
    }
  }

  @Test
  void closeCancelsTheBlockingQueryInFlight() throws Exception {
    consul.register(List.of(A));
    OkHttpClient client = new OkHttpClient();
    ConsulServerList list = ConsulServerList.builder(FakeConsul.SERVICE).agent(consul.url())
        .wait(Duration.ofMinutes(1)).client(client).options(defaultsWithPatientStart()).build();
    list.whenReady().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    await().atMost(DEADLINE).until(() -> client.dispatcher().runningCallsCount() == 1
        && lastRequestUrl().queryParameter("index") != null);

    list.close();

    await().atMost(DEADLINE).until(() -> client.dispatcher().runningCallsCount() == 0);
    client.dispatcher().executorService().shutdown();
  }

  @Test
  void badSettingsFailAtTheBuilderNamingTheValue() {
    assertThatThrownBy(() -> ConsulServerList.builder(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("service must not be blank, was ' '");
    assertThatThrownBy(() -> ConsulServerList.builder("orders").wait(Duration.ofMinutes(11)))
        .hasMessage("wait must be <= PT10M (Consul's maximum), was PT11M");
    assertThatThrownBy(() -> ConsulServerList.builder("orders").agent("localhost:8500"))
        .hasMessage("agent must be an http or https URL, was 'localhost:8500'");
    assertThatThrownBy(() -> ConsulServerList.builder("orders").minQueryInterval(Duration.ZERO))
        .hasMessage("minQueryInterval must be > 0, was PT0S");
  }
}
