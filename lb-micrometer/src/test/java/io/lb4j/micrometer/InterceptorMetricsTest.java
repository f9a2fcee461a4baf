package io.lb4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Algorithms;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import io.lb4j.okhttp.LoadBalancedOkHttp;
import io.lb4j.okhttp.LoadBalancingInterceptor;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The interceptor's meters and the breakers' meters, driven by real OkHttp calls to loopback
 * servers, read from a simple registry and from a Prometheus scrape.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InterceptorMetricsTest {
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private LoopbackServers servers(int... statuses) throws IOException {
    LoopbackServers servers = new LoopbackServers(statuses);
    closeables.add(servers);
    return servers;
  }

  private LoadBalancer balancer(MutableServerList list) {
    LoadBalancer balancer = LoadBalancer.builder(list).name("orders")
        .algorithm(Algorithms.roundRobin()).build();
    closeables.add(balancer);
    return balancer;
  }

  private static OkHttpClient client(LoadBalancingInterceptor interceptor) {
    return LoadBalancedOkHttp.wrap(new OkHttpClient(), interceptor);
  }

  private static int get(OkHttpClient client) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url("http://orders/items").build())
        .execute()) {
      return response.code();
    }
  }

  private static long timerCount(MeterRegistry registry, String name, String... tags) {
    var timer = registry.find(name).tag("service", "orders").tags(tags).timer();
    return timer == null ? 0 : timer.count();
  }

  private static double counter(MeterRegistry registry, String name, String... tags) {
    var counter = registry.find(name).tag("service", "orders").tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void retriedCallsShowAsRequestsAttemptsAndRetries() throws IOException {
    LoopbackServers servers = servers(503, 200);
    LoadBalancer balancer = balancer(MutableServerList.of(servers.endpoints()));
    MeterRegistry registry = new SimpleMeterRegistry();
    InterceptorMetrics metrics = new InterceptorMetrics();
    metrics.bindTo(registry);
    LoadBalancingInterceptor interceptor = LoadBalancingInterceptor.builder()
        .service("orders", balancer).backoff(Duration.ZERO, Duration.ZERO)
        .callListener(metrics).build();
    OkHttpClient client = client(interceptor);

    for (int i = 0; i < 4; i++) {
      assertThat(get(client)).isEqualTo(200);
    }

    int failedAttempts = servers.requestCount(0);
    assertThat(failedAttempts).as("round robin sends some first attempts to the 503 server").isPositive();
    assertThat(timerCount(registry, "lb.client.requests", "outcome", "success")).isEqualTo(4);
    assertThat(timerCount(registry, "lb.client.attempts", "kind", "first", "outcome", "server_error"))
        .isEqualTo(failedAttempts);
    assertThat(timerCount(registry, "lb.client.attempts", "kind", "retry", "outcome", "success"))
        .isEqualTo(failedAttempts);
    assertThat(timerCount(registry, "lb.client.attempts", "kind", "first", "outcome", "success"))
        .isEqualTo(4 - failedAttempts);
    assertThat(counter(registry, "lb.client.retries", "result", "retried")).isEqualTo(failedAttempts);
    assertThat(registry.find("lb.client.attempts").tag("kind", "first").timers()
        .stream().mapToDouble(t -> t.totalTime(TimeUnit.NANOSECONDS)).sum()).isPositive();
  }

  @Test
  void retryBudgetExhaustionAndNoEndpointAreCounted() throws IOException {
    LoopbackServers servers = servers(503, 503);
    MutableServerList list = MutableServerList.of(servers.endpoints());
    LoadBalancer balancer = balancer(list);
    MeterRegistry registry = new SimpleMeterRegistry();
    InterceptorMetrics metrics = new InterceptorMetrics();
    metrics.bindTo(registry);
    OkHttpClient client = client(LoadBalancingInterceptor.builder().service("orders", balancer)
        .retryBudgetPercent(0).minRetriesPerSecond(0).callListener(metrics).build());

    assertThat(get(client)).isEqualTo(503);
    list.replaceAll(List.of());
    assertThatThrownBy(() -> get(client)).isInstanceOf(IOException.class);

    assertThat(counter(registry, "lb.client.retries", "result", "budget_exhausted")).isEqualTo(1);
    assertThat(counter(registry, "lb.client.retries", "result", "retried")).isZero();
    assertThat(timerCount(registry, "lb.client.requests", "outcome", "server_error")).isEqualTo(1);
    assertThat(timerCount(registry, "lb.client.requests", "outcome", "no_endpoint")).isEqualTo(1);
  }

  /**
   * The budget at its defaults (20% of calls plus 10 retries a second over 10 s), with the
   * tracker's defaults too: four instances all answering 503, so outlier detection takes out two
   * (the 50% cap) and each call retries once on the other. 200 calls on a frozen clock, so all in
   * one window: at most 0.2 × 200 + 100 = 140 retries go out and the rest are counted exhausted.
   */
  @Test
  void withTheDefaultBudgetRetriesBeyondItsAllowanceAreCountedExhausted() throws IOException {
    LoopbackServers servers = servers(503, 503, 503, 503);
    LoadBalancer balancer = balancer(MutableServerList.of(servers.endpoints()));
    MeterRegistry registry = new SimpleMeterRegistry();
    InterceptorMetrics metrics = new InterceptorMetrics();
    metrics.bindTo(registry);
    OkHttpClient client = client(LoadBalancingInterceptor.builder().service("orders", balancer)
        .ticker(new ManualTicker()).callListener(metrics).build());

    for (int i = 0; i < 200; i++) {
      assertThat(get(client)).isEqualTo(503);
    }

    double retried = counter(registry, "lb.client.retries", "result", "retried");
    double exhausted = counter(registry, "lb.client.retries", "result", "budget_exhausted");
    assertThat(retried).isBetween(100.0, 140.0);
    assertThat(exhausted).isPositive();
    assertThat(retried + exhausted).as("one retry wanted per call").isGreaterThanOrEqualTo(200);
  }

  @Test
  void prometheusScrapeHasTheDocumentedSeries() throws IOException {
    LoopbackServers servers = servers(200, 200);
    LoadBalancer balancer = balancer(MutableServerList.of(servers.endpoints()));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    InterceptorMetrics metrics = new InterceptorMetrics();
    LoadBalancingInterceptor interceptor = LoadBalancingInterceptor.builder()
        .service("orders", balancer).callListener(metrics).build();
    metrics.bindTo(registry);
    InterceptorMetrics.circuitBreakers(interceptor).bindTo(registry);
    LoadBalancerMetrics balancerMetrics = LoadBalancerMetrics.builder(balancer).perEndpoint(true).build();
    balancerMetrics.bindTo(registry);
    closeables.add(balancerMetrics);
    OkHttpClient client = client(interceptor);

    for (int i = 0; i < 3; i++) {
      assertThat(get(client)).isEqualTo(200);
    }

    // Micrometer's rule, which Prometheus enforces: one set of tag keys per meter name.
    Map<String, Set<Set<String>>> tagKeysByName = new HashMap<>();
    for (Meter meter : registry.getMeters()) {
      Set<String> keys = new HashSet<>();
      meter.getId().getTags().forEach(tag -> keys.add(tag.getKey()));
      tagKeysByName.computeIfAbsent(meter.getId().getName(), name -> new HashSet<>()).add(keys);
    }
    assertThat(tagKeysByName).allSatisfy((name, keySets) -> assertThat(keySets).as(name).hasSize(1));
    assertThat(tagKeysByName).containsKeys("lb.picks", "lb.endpoints", "lb.endpoint.latency",
        "lb.client.requests", "lb.client.attempts", "resilience4j.circuitbreaker.state");

    String scrape = registry.scrape();
    String first = servers.endpoint(0).id();
    assertThat(scrape).contains(
        "lb_client_requests_seconds_count{outcome=\"success\",service=\"orders\"} 3",
        "lb_client_attempts_seconds_count{kind=\"first\",outcome=\"success\",service=\"orders\"} 3",
        "lb_picks_total{result=\"ok\",service=\"orders\"} 3",
        "lb_picks_total{result=\"all_excluded\",service=\"orders\"} 0",
        "lb_members{service=\"orders\"} 2",
        "lb_endpoints{service=\"orders\",state=\"eligible\"} 2",
        "lb_endpoints{service=\"orders\",state=\"ejected\"} 0",
        "lb_panic{service=\"orders\"} 0",
        "lb_zone_spillover{service=\"orders\"} 0",
        "lb_ejections_total{reason=\"outlier\",service=\"orders\"} 0",
        "lb_endpoint_in_flight{endpoint=\"" + first + "\",service=\"orders\"} 0",
        "lb_endpoint_healthy{endpoint=\"" + first + "\",service=\"orders\"} 1",
        "lb_endpoint_weight{endpoint=\"" + first + "\",service=\"orders\"} 1",
        "lb_endpoint_latency_seconds{endpoint=\"" + first + "\",service=\"orders\"}",
        "resilience4j_circuitbreaker_state{name=\"orders/" + first + "\",state=\"closed\"} 1");
  }
}
