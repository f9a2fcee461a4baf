package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.endpoints;
import static io.lb4j.core.HealthFixtures.fail;
import static io.lb4j.core.HealthFixtures.manualTracker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.lb4j.core.NoEndpointAvailableException.Reason;
import io.lb4j.core.internal.concurrent.SharedScheduler;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The balancer and its tracker together: ejected endpoints get no picks, zones are preferred. */
class LoadBalancerHealthTest {

  @Test
  void neverPicksAnUnavailableEndpointWhileAnAvailableOneExists() {
    qt().withExamples(100)
        .forAll(integers().between(2, 10), integers().between(0, (1 << 10) - 1),
            lists().of(integers().between(0, 1)).ofSizeBetween(0, 300))
        .checkAssert((size, failingMask, coinFlips) -> {
          ManualTicker ticker = new ManualTicker();
          List<Endpoint> members = endpoints(size);
          try (HealthTracker tracker = manualTracker(ticker).maxEjectionPercent(100)
                  .panicThresholdPercent(0).consecutiveFailures(3).failureRateMinRequests(5).build();
              LoadBalancer lb = LoadBalancer.builder(ServerList.of(members))
                  .algorithm(Algorithms.roundRobin()).healthTracker(tracker).ticker(ticker).build()) {
            // A failing endpoint fails every call; a healthy one fails when the coin says so, but
            // never twice in a row, so it can never reach 3 consecutive failures.
            Map<Endpoint, Boolean> lastFailed = new HashMap<>();
            for (int flip : coinFlips) {
              Pick pick;
              try {
                pick = lb.pick();
              } catch (NoEndpointAvailableException e) {
                assertThat(e.reason()).isEqualTo(Reason.ALL_UNHEALTHY);
                assertThat(members).noneMatch(tracker::isAvailable);
                continue;
              }
              Endpoint chosen = pick.endpoint();
              assertThat(tracker.isAvailable(chosen)).as("picked %s", chosen).isTrue();
              boolean failing = (failingMask >> members.indexOf(chosen) & 1) == 1;
              boolean failNow = failing || (flip == 1 && !lastFailed.getOrDefault(chosen, false));
              lastFailed.put(chosen, failNow);
              pick.complete(!failNow, 1_000);
            }
          }
        });
  }

  /**
   * The property above with the tracker's defaults: the max-ejection cap (50%) and panic mode
   * (below 50% available, every member is eligible) on. A pick goes to an available endpoint
   * unless the tracker is panicking, and outlier detection never takes out more than half.
   */
  @Test
  void withTheDefaultsPicksAvoidUnavailableEndpointsUnlessPanickingAndEjectionsStayCapped() {
    qt().withExamples(100)
        .forAll(integers().between(2, 10), integers().between(0, (1 << 10) - 1),
            lists().of(integers().between(0, 1)).ofSizeBetween(0, 300))
        .checkAssert((size, failingMask, coinFlips) -> {
          ManualTicker ticker = new ManualTicker();
          List<Endpoint> members = endpoints(size);
          try (HealthTracker tracker = manualTracker(ticker).consecutiveFailures(3)
                  .failureRateMinRequests(5).build();
              LoadBalancer lb = LoadBalancer.builder(ServerList.of(members))
                  .algorithm(Algorithms.roundRobin()).healthTracker(tracker).ticker(ticker).build()) {
            Map<Endpoint, Boolean> lastFailed = new HashMap<>();
            for (int flip : coinFlips) {
              Pick pick = lb.pick(); // panic keeps someone eligible: never refused here
              Endpoint chosen = pick.endpoint();
              assertThat(tracker.isAvailable(chosen) || tracker.isPanicking())
                  .as("picked unavailable %s outside panic", chosen).isTrue();
              assertThat(members.stream().filter(m -> !tracker.isAvailable(m)).count())
                  .as("unavailable members").isLessThanOrEqualTo(size / 2);
              boolean failing = (failingMask >> members.indexOf(chosen) & 1) == 1;
              boolean failNow = failing || (flip == 1 && !lastFailed.getOrDefault(chosen, false));
              lastFailed.put(chosen, failNow);
              pick.complete(!failNow, 1_000);
            }
          }
        });
  }

  @Test
  void picksSpreadOverAllEndpointsAgainAfterRecovery() {
    ManualTicker ticker = new ManualTicker();
    List<Endpoint> members = endpoints(5);
    try (HealthTracker tracker = manualTracker(ticker).slowStartWindow(Duration.ZERO).build();
        LoadBalancer lb = LoadBalancer.builder(ServerList.of(members))
            .algorithm(Algorithms.roundRobin()).healthTracker(tracker).ticker(ticker).build()) {
      fail(tracker, members.get(0), 5);
      fail(tracker, members.get(1), 5);
      assertThat(pickCounts(lb, 300)).doesNotContainKeys(members.get(0), members.get(1));

      ticker.advance(Duration.ofSeconds(30));
      tracker.refresh();

      Map<Endpoint, Integer> counts = pickCounts(lb, 500);
      assertThat(counts).containsOnlyKeys(members);
      assertThat(counts.values()).containsOnly(100);
    }
  }

  @Test
  void allEndpointsMarkedUnavailableFailsWithAllUnhealthy() {
    List<Endpoint> members = endpoints(3);
    try (LoadBalancer lb = LoadBalancer.builder(ServerList.of(members)).build()) {
      for (Endpoint member : members) {
        lb.healthTracker().markUnavailable(member, "operator", "breaker open");
      }
      assertThatThrownBy(lb::pick).isInstanceOfSatisfying(NoEndpointAvailableException.class,
          e -> assertThat(e.reason()).isEqualTo(Reason.ALL_UNHEALTHY));
      lb.healthTracker().markAvailable(members.get(1), "operator", "breaker closed");
      assertThat(lb.pick().endpoint()).isEqualTo(members.get(1));
    }
  }

  @Test
  void slowStartWeightsReachTheSelectorAndEachStepRebuildsIt() {
    ManualTicker ticker = new ManualTicker();
    MutableServerList servers = MutableServerList.of(endpoints(2));
    Endpoint newcomer = Endpoint.of("10.0.9.9", 8080);
    try (HealthTracker tracker = manualTracker(ticker).build();
        LoadBalancer lb = LoadBalancer.builder(servers).healthTracker(tracker).ticker(ticker).build()) {
      servers.add(newcomer);
      Candidates candidates = lb.selector().candidates();
      assertThat(candidates.weight(candidates.indexOf(newcomer.id()))).isEqualTo(1);
      assertThat(candidates.weight(0)).isEqualTo(10);

      ticker.advance(Duration.ofSeconds(15));
      tracker.refresh();
      candidates = lb.selector().candidates();
      assertThat(candidates.weight(candidates.indexOf(newcomer.id()))).isEqualTo(6);

      ticker.advance(Duration.ofSeconds(15));
      tracker.refresh();
      candidates = lb.selector().candidates();
      assertThat(candidates.weight(candidates.indexOf(newcomer.id()))).isEqualTo(1);
      assertThat(candidates.hasUniformWeights()).isTrue();
    }
  }

  @Test
  void prefersTheLocalZoneWhileEnoughOfItIsHealthyAndSpillsOverOtherwise() {
    ManualTicker ticker = new ManualTicker();
    List<Endpoint> members = List.of(zoned("10.1.0.1", "a"), zoned("10.1.0.2", "a"),
        zoned("10.1.0.3", "a"), zoned("10.2.0.1", "b"), zoned("10.2.0.2", "b"),
        zoned("10.3.0.1", ""));
    try (HealthTracker tracker = manualTracker(ticker).slowStartWindow(Duration.ZERO).build();
        LoadBalancer lb = LoadBalancer.builder(ServerList.of(members)).localZone("a")
            .algorithm(Algorithms.roundRobin()).healthTracker(tracker).ticker(ticker).build()) {
      assertThat(pickCounts(lb, 90)).containsOnlyKeys(members.subList(0, 3));

      fail(tracker, members.get(0), 5); // 2 of 3 local = 67% < 70%: spill over

      assertThat(pickCounts(lb, 100)).containsOnlyKeys(members.subList(1, 6));

      ticker.advance(Duration.ofSeconds(30));
      tracker.refresh();
      assertThat(pickCounts(lb, 90)).containsOnlyKeys(members.subList(0, 3));
    }
  }

  @Test
  void aLowerLocalShareKeepsTrafficLocalUntilTheMinimumCount() {
    ManualTicker ticker = new ManualTicker();
    List<Endpoint> members = List.of(zoned("10.1.0.1", "a"), zoned("10.1.0.2", "a"),
        zoned("10.1.0.3", "a"), zoned("10.2.0.1", "b"));
    try (HealthTracker tracker = manualTracker(ticker).slowStartWindow(Duration.ZERO)
            .maxEjectionPercent(100).build();
        LoadBalancer lb = LoadBalancer.builder(ServerList.of(members)).localZone("a")
            .localZoneMinHealthyPercent(0).localZoneMinHealthy(2)
            .algorithm(Algorithms.roundRobin()).healthTracker(tracker).ticker(ticker).build()) {
      fail(tracker, members.get(0), 5);
      assertThat(pickCounts(lb, 40)).containsOnlyKeys(members.get(1), members.get(2));
      fail(tracker, members.get(1), 5);
      assertThat(pickCounts(lb, 40)).containsOnlyKeys(members.get(2), members.get(3));
    }
  }

  @Test
  void endpointsWithoutAZoneAreNeverLocal() {
    List<Endpoint> members = List.of(zoned("10.3.0.1", ""), zoned("10.3.0.2", ""),
        zoned("10.2.0.1", "b"));
    try (LoadBalancer lb = LoadBalancer.builder(ServerList.of(members)).localZone("a")
        .algorithm(Algorithms.roundRobin()).build()) {
      assertThat(pickCounts(lb, 30)).containsOnlyKeys(members);
    }
  }

  @Test
  void closingTheBalancerClosesTheTrackerItCreated() {
    int queuedBefore = SharedScheduler.queuedTasks();
    LoadBalancer lb = LoadBalancer.builder(ServerList.of(endpoints(2))).build();
    assertThat(SharedScheduler.queuedTasks()).as("its refresh task").isGreaterThan(queuedBefore);

    lb.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> SharedScheduler.queuedTasks() <= queuedBefore);
  }

  @Test
  void closingTheBalancerLeavesASuppliedTrackerRunning() {
    AtomicInteger probes = new AtomicInteger();
    try (HealthTracker tracker = HealthTracker.builder()
        .healthCheck(e -> {
          probes.incrementAndGet();
          return CompletableFuture.completedFuture(true);
        })
        .healthCheckInterval(Duration.ofMillis(20)).healthCheckTimeout(Duration.ofMillis(10))
        .build()) {
      LoadBalancer.builder(ServerList.of(endpoints(1))).healthTracker(tracker).build().close();
      int afterClose = probes.get();
      await().atMost(Duration.ofSeconds(5)).until(() -> probes.get() > afterClose + 2);
    }
  }

  private static Endpoint zoned(String host, String zone) {
    return Endpoint.builder(host, 8080).zone(zone).build();
  }

  private static Map<Endpoint, Integer> pickCounts(LoadBalancer lb, int picks) {
    Map<Endpoint, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      Pick pick = lb.pick();
      counts.merge(pick.endpoint(), 1, Integer::sum);
      pick.complete(true, 1_000);
    }
    return counts;
  }
}
