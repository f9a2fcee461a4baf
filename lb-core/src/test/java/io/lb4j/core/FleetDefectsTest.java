package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.endpoints;
import static io.lb4j.core.HealthFixtures.fail;
import static io.lb4j.core.HealthFixtures.manualTracker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetDefectsTest {
  private final ManualTicker ticker = new ManualTicker();

  @Test
  void endpointsOfTheInitialSyncStartAtFullWeight() {
    List<Endpoint> members = endpoints(10);
    MutableServerList servers = MutableServerList.awaitingSync();
    try (HealthTracker tracker = manualTracker(ticker).build();
        LoadBalancer lb = LoadBalancer.builder(servers).algorithm(Algorithms.weightedRandom())
            .healthTracker(tracker).ticker(ticker).build()) {
      members.forEach(servers::add);
      servers.markReady();
      assertThat(lb.selector().candidates().hasUniformWeights()).isTrue();
    }
  }

  @Test
  void aFailingBuildIsThrownToTheWriter() {
    MutableServerList servers = MutableServerList.of(endpoints(7));
    try (LoadBalancer lb = LoadBalancer.builder(servers).algorithm(Algorithms.maglev(7)).build()) {
      assertThatThrownBy(() -> servers.add(Endpoint.of("10.0.0.8", 8080)))
          .hasMessageContaining("10.0.0.8");
      assertThat(servers.endpoints()).hasSize(7);
      assertThat(lb.endpoints()).hasSize(7);
    }
  }

  @Test
  void lateFailuresDuringEjectionDoNotReEjectOnReturn() {
    List<Endpoint> members = endpoints(10);
    try (HealthTracker tracker = manualTracker(ticker).build()) {
      tracker.updateMembership(members);
      Endpoint a = members.get(0);
      fail(tracker, a, 5);
      assertThat(tracker.isAvailable(a)).isFalse();
      fail(tracker, a, 30); // late completions of calls sent before the ejection
      ticker.advance(Duration.ofSeconds(30));
      tracker.refresh();
      assertThat(tracker.isAvailable(a)).isTrue();
      fail(tracker, a, 1);
      assertThat(tracker.isAvailable(a)).isTrue();
    }
  }

  @Test
  void aTrackerSharedByTwoBalancersIsRefused() {
    try (HealthTracker tracker = manualTracker(ticker).build();
        LoadBalancer first = LoadBalancer.builder(ServerList.of(endpoints(2)))
            .name("orders").healthTracker(tracker).build()) {
      assertThatThrownBy(() -> LoadBalancer.builder(ServerList.of(endpoints(3)))
              .name("billing").healthTracker(tracker).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("orders");
    }
  }

  @Test
  void brownoutWithBreakerMarksKeepsPicking() {
    List<Endpoint> members = endpoints(3);
    try (HealthTracker tracker = manualTracker(ticker).build();
        LoadBalancer lb = LoadBalancer.builder(ServerList.of(members)).healthTracker(tracker)
            .ticker(ticker).build()) {
      for (Endpoint member : members) {
        tracker.reportUnhealthy(member, "circuit-breaker", "circuit breaker open");
      }
      lb.pick().cancel();
    }
  }
}
