package io.lb4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Algorithms;
import io.lb4j.core.Endpoint;
import io.lb4j.core.HealthTracker;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import io.lb4j.core.NoEndpointAvailableException;
import io.lb4j.core.Pick;
import io.lb4j.core.PickContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.tck.MeterRegistryAssert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The balancer's meters read what the balancer and its tracker say, by name, tag and value. */
class LoadBalancerMetricsTest {
  private final ManualTicker ticker = new ManualTicker();
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private static List<Endpoint> endpoints(int count) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      endpoints.add(Endpoint.builder("10.0.0." + (i + 1), 8080).zone(i < 2 ? "a" : "b").build());
    }
    return endpoints;
  }

  /** Defaults everywhere (slow start, ejection budget, panic), on a manual ticker. */
  private LoadBalancer balancer(MutableServerList servers, String localZone) {
    HealthTracker tracker = HealthTracker.builder().ticker(ticker).build();
    closeables.add(tracker);
    LoadBalancer balancer = LoadBalancer.builder(servers).name("orders").ticker(ticker)
        .healthTracker(tracker).algorithm(Algorithms.roundRobin()).localZone(localZone).build();
    closeables.add(balancer);
    return balancer;
  }

  private LoadBalancerMetrics bind(LoadBalancerMetrics metrics) {
    metrics.bindTo(registry);
    closeables.add(metrics);
    return metrics;
  }

  private double gauge(String name, String... tags) {
    return registry.get(name).tag("service", "orders").tags(tags).gauge().value();
  }

  private double state(String state) {
    return gauge(LoadBalancerMetrics.ENDPOINTS, "state", state);
  }

  private double picks(String result) {
    return registry.get(LoadBalancerMetrics.PICKS).tags("service", "orders", "result", result)
        .functionCounter().count();
  }

  private double ejections(String reason) {
    return registry.get(LoadBalancerMetrics.EJECTIONS).tags("service", "orders", "reason", reason)
        .counter().count();
  }

  @Test
  void endpointStatesFollowEjectionsMarksAndReports() {
    List<Endpoint> endpoints = endpoints(4);
    LoadBalancer balancer = balancer(MutableServerList.of(endpoints), "");
    bind(LoadBalancerMetrics.of(balancer));
    HealthTracker tracker = balancer.healthTracker();

    assertThat(gauge(LoadBalancerMetrics.MEMBERS)).isEqualTo(4);
    assertThat(state("eligible")).isEqualTo(4);

    PickContext onlyTheFirst = PickContext.create()
        .exclude(endpoints.get(1)).exclude(endpoints.get(2)).exclude(endpoints.get(3));
    for (int i = 0; i < 5; i++) {
      balancer.pick(onlyTheFirst).complete(false);
    }
    tracker.markUnavailable(endpoints.get(1), "operator", "drain");

    assertThat(state("eligible")).isEqualTo(2);
    assertThat(state("ejected")).isEqualTo(1);
    assertThat(state("marked")).isEqualTo(1);
    assertThat(state("reported")).isZero();
    assertThat(state("probe_down")).isZero();
    assertThat(state("ramping")).isZero();
    assertThat(ejections("outlier")).isEqualTo(1);
    assertThat(ejections("mark")).isEqualTo(1);
    assertThat(gauge(LoadBalancerMetrics.PANIC)).isZero();

    // A third removal leaves 1 of 4 available: below the 50% panic threshold.
    tracker.markAvailable(endpoints.get(1), "operator", "drain over");
    tracker.reportUnhealthy(endpoints.get(2), "breaker", "open");
    tracker.markUnavailable(endpoints.get(3), "operator", "drain");
    assertThat(state("reported")).isEqualTo(1);
    assertThat(ejections("detector")).isEqualTo(1);
    assertThat(ejections("mark")).isEqualTo(2);
    assertThat(gauge(LoadBalancerMetrics.PANIC)).isEqualTo(1);
    assertThat(state("eligible")).as("panic: every member not marked").isEqualTo(3);
    assertThat(state("overridden")).isZero();

    // Two soft removals fill the budget (50% of 4): a third verdict is held off.
    tracker.reportUnhealthy(endpoints.get(1), "breaker", "open");
    tracker.reportUnhealthy(endpoints.get(0), "breaker", "open");
    assertThat(state("reported")).isEqualTo(3);
    assertThat(state("overridden")).isEqualTo(1);
  }

  @Test
  void picksAreCountedByResult() {
    List<Endpoint> endpoints = endpoints(2);
    MutableServerList servers = MutableServerList.of(endpoints);
    LoadBalancer balancer = balancer(servers, "");
    bind(LoadBalancerMetrics.of(balancer));

    for (int i = 0; i < 7; i++) {
      balancer.pick().complete(true);
    }
    PickContext excludingAll = PickContext.create().exclude(endpoints.get(0)).exclude(endpoints.get(1));
    assertThatThrownBy(() -> balancer.pick(excludingAll)).isInstanceOf(NoEndpointAvailableException.class);
    servers.replaceAll(List.of());
    assertThatThrownBy(balancer::pick).isInstanceOf(NoEndpointAvailableException.class);
    assertThatThrownBy(balancer::pick).isInstanceOf(NoEndpointAvailableException.class);

    assertThat(picks("ok")).isEqualTo(7);
    assertThat(picks("all_excluded")).isEqualTo(1);
    assertThat(picks("empty_list")).isEqualTo(2);
    assertThat(picks("all_unhealthy")).isZero();
  }

  @Test
  void rampingAndZoneSpillOverAreVisible() {
    List<Endpoint> endpoints = endpoints(4);
    MutableServerList servers = MutableServerList.of(endpoints);
    LoadBalancer balancer = balancer(servers, "a");
    bind(LoadBalancerMetrics.of(balancer));
    assertThat(gauge(LoadBalancerMetrics.ZONE_SPILLOVER)).isZero();
    assertThat(state("eligible")).as("local zone a only").isEqualTo(2);

    balancer.healthTracker().markUnavailable(endpoints.get(0), "operator", "drain");
    assertThat(gauge(LoadBalancerMetrics.ZONE_SPILLOVER)).isEqualTo(1);
    assertThat(state("eligible")).isEqualTo(3);

    servers.add(Endpoint.builder("10.0.0.9", 8080).zone("b").build());
    assertThat(state("ramping")).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(31));
    balancer.healthTracker().refresh();
    assertThat(state("ramping")).isZero();
  }

  @Test
  void perEndpointMetersShowLoadHealthAndWeight() {
    List<Endpoint> endpoints = endpoints(2);
    MutableServerList servers = MutableServerList.of(endpoints);
    LoadBalancer balancer = balancer(servers, "");
    bind(LoadBalancerMetrics.builder(balancer).perEndpoint(true).build());

    Pick pick = balancer.pick(PickContext.create().exclude(endpoints.get(1)));
    Pick done = balancer.pick(PickContext.create().exclude(endpoints.get(1)));
    ticker.advance(Duration.ofMillis(40));
    done.complete(true);
    balancer.healthTracker().markUnavailable(endpoints.get(1), "operator", "drain");

    String first = endpoints.get(0).id();
    String second = endpoints.get(1).id();
    assertThat(gauge("lb.endpoint.in.flight", "endpoint", first)).isEqualTo(1);
    assertThat(gauge("lb.endpoint.in.flight", "endpoint", second)).isZero();
    assertThat(registry.get("lb.endpoint.latency").tags("service", "orders", "endpoint", first)
        .timeGauge().value(TimeUnit.MILLISECONDS)).isEqualTo(40, org.assertj.core.data.Offset.offset(0.5));
    assertThat(gauge("lb.endpoint.healthy", "endpoint", first)).isEqualTo(1);
    assertThat(gauge("lb.endpoint.healthy", "endpoint", second)).isZero();
    assertThat(gauge("lb.endpoint.weight", "endpoint", first)).isEqualTo(1);
    pick.complete(true);
    assertThat(gauge("lb.endpoint.in.flight", "endpoint", first)).isZero();

    int meters = registry.getMeters().size();
    servers.replaceAll(List.of(endpoints.get(0).toBuilder().weight(3).build(), endpoints.get(1)));
    assertThat(gauge("lb.endpoint.weight", "endpoint", first)).as("same id, new weight").isEqualTo(3);
    assertThat(registry.getMeters()).hasSize(meters);
  }

  @Test
  void perEndpointMetersLeaveWithTheirEndpointUnderChurn() {
    MutableServerList servers = MutableServerList.of(endpoints(3));
    LoadBalancer balancer = balancer(servers, "");
    bind(LoadBalancerMetrics.builder(balancer).perEndpoint(true).build());
    int serviceMeters = registry.getMeters().size() - 3 * 4;
    Random random = new Random(42);

    List<Endpoint> previous = servers.endpoints();
    for (int round = 0; round < 300; round++) {
      List<Endpoint> next = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(6); i++) {
        next.add(Endpoint.of("10.1." + random.nextInt(50) + "." + i, 8080));
      }
      servers.replaceAll(next);
      assertThat(registry.getMeters()).hasSize(serviceMeters + 4 * next.size());
      assertThat(registry.find("lb.endpoint.in.flight").gauges()).hasSize(next.size());
      for (Endpoint left : previous) {
        if (!next.contains(left)) {
          MeterRegistryAssert.assertThat(registry).doesNotHaveMeterWithNameAndTags(
              "lb.endpoint.healthy", Tags.of("endpoint", left.id()));
        }
      }
      previous = next;
    }
  }

  @Test
  void closeRemovesEveryMeterAndBindingTwiceFails() {
    LoadBalancer balancer = balancer(MutableServerList.of(endpoints(2)), "");
    LoadBalancerMetrics metrics = LoadBalancerMetrics.builder(balancer).perEndpoint(true).build();
    metrics.bindTo(registry);
    assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("load balancer 'orders' are already bound");

    metrics.close();

    MeterRegistryAssert.assertThat(registry).hasNoMetrics();
    balancer.healthTracker().markUnavailable(balancer.endpoints().get(0), "operator", "drain");
    assertThat(registry.getMeters()).as("no event re-registers a counter").isEmpty();
  }
}
