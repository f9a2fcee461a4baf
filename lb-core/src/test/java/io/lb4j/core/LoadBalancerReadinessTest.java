package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.endpoints;
import static io.lb4j.core.HealthFixtures.manualTracker;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Readiness: endpoints of a list's initial sync start at full weight; whenReady() follows the list. */
class LoadBalancerReadinessTest {
  private final ManualTicker ticker = new ManualTicker();

  private LoadBalancer balancer(ServerList servers, HealthTracker tracker) {
    return LoadBalancer.builder(servers).algorithm(Algorithms.weightedRandom())
        .healthTracker(tracker).ticker(ticker).build();
  }

  private static int weightOf(LoadBalancer lb, Endpoint endpoint) {
    Candidates candidates = lb.selector().candidates();
    return candidates.weight(candidates.indexOf(endpoint.id()));
  }

  @Test
  void endpointsAddedOneByOneDuringTheInitialSyncStartAtFullWeightAndALaterOneRamps() {
    List<Endpoint> members = endpoints(11);
    MutableServerList servers = MutableServerList.awaitingSync();
    try (HealthTracker tracker = manualTracker(ticker).build();
        LoadBalancer lb = balancer(servers, tracker)) {
      members.subList(0, 10).forEach(servers::add);
      servers.markReady();
      assertThat(lb.selector().candidates().hasUniformWeights()).isTrue();
      assertThat(tracker.snapshot().endpoints()).allSatisfy(
          health -> assertThat(health.effectiveWeight()).isEqualTo(1));

      Endpoint late = members.get(10);
      servers.add(late);

      assertThat(weightOf(lb, late)).isEqualTo(1);
      assertThat(weightOf(lb, members.get(0))).isEqualTo(10);
    }
  }

  @Test
  void aListReadyAtOnceStartsItsFirstNonEmptyMembershipAtFullWeightAndRampsLaterOnes() {
    List<Endpoint> members = endpoints(3);
    MutableServerList servers = MutableServerList.create();
    try (HealthTracker tracker = manualTracker(ticker).build();
        LoadBalancer lb = balancer(servers, tracker)) {
      servers.replaceAll(members.subList(0, 2));
      assertThat(lb.selector().candidates().hasUniformWeights()).isTrue();

      servers.add(members.get(2));
      assertThat(weightOf(lb, members.get(2))).isLessThan(weightOf(lb, members.get(0)));
    }
  }

  @Test
  void whenReadyWaitsForTheSyncAndForAnEndpoint() throws Exception {
    MutableServerList servers = MutableServerList.awaitingSync();
    try (HealthTracker tracker = manualTracker(ticker).build();
        LoadBalancer lb = balancer(servers, tracker)) {
      CompletableFuture<Void> ready = lb.whenReady();
      servers.add(Endpoint.of("10.0.0.1", 80));
      assertThat(ready).isNotDone();

      servers.markReady();

      assertThat(ready).isCompleted();
      assertThat(lb.whenReady()).isCompleted();
    }
  }

  @Test
  void whenReadyOfAReadyButEmptyListCompletesAtItsFirstEndpoint() {
    MutableServerList servers = MutableServerList.create();
    try (HealthTracker tracker = manualTracker(ticker).build();
        LoadBalancer lb = balancer(servers, tracker)) {
      CompletableFuture<Void> ready = lb.whenReady();
      assertThat(ready).isNotDone();
      servers.add(Endpoint.of("10.0.0.1", 80));
      assertThat(ready).isCompleted();
    }
  }

  @Test
  void whenReadyOfAStaticListIsCompleteAtOnce() {
    try (LoadBalancer lb = LoadBalancer.builder(ServerList.of(endpoints(2))).build()) {
      assertThat(lb.whenReady()).isCompleted();
    }
  }

  @Test
  void whenReadyFailsWithTheListsOwnFailure() {
    TimeoutException registryDown = new TimeoutException("registry did not answer in 10 s");
    ServerList failing = new ServerList() {
      @Override
      public List<Endpoint> endpoints() {
        return List.of();
      }

      @Override
      public Subscription subscribe(Listener listener) {
        listener.onChange(List.of());
        return () -> {};
      }

      @Override
      public boolean isReady() {
        return false;
      }

      @Override
      public CompletableFuture<Void> whenReady() {
        return CompletableFuture.failedFuture(registryDown);
      }
    };
    try (LoadBalancer lb = LoadBalancer.builder(failing).build()) {
      assertThat(lb.whenReady()).isCompletedExceptionally();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> lb.whenReady().join())
          .isInstanceOf(CompletionException.class).hasCause(registryDown);
    }
  }

  @Test
  void whenReadyFailsWhenTheBalancerClosesFirst() {
    MutableServerList servers = MutableServerList.awaitingSync();
    CompletableFuture<Void> ready;
    try (LoadBalancer lb = LoadBalancer.builder(servers).name("orders").build()) {
      ready = lb.whenReady();
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(ready::join)
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("load balancer 'orders' was closed before its server list was ready");
  }

  @Test
  void slowStartStillRampsAnEndpointThatComesBackAfterTheSync() {
    List<Endpoint> members = endpoints(4);
    MutableServerList servers = MutableServerList.awaitingSync();
    try (HealthTracker tracker = manualTracker(ticker).build();
        LoadBalancer lb = balancer(servers, tracker)) {
      members.forEach(servers::add);
      servers.markReady();
      HealthFixtures.fail(tracker, members.get(0), 5);
      ticker.advance(Duration.ofSeconds(30));
      tracker.refresh();

      assertThat(weightOf(lb, members.get(0))).isLessThan(weightOf(lb, members.get(1)));
    }
  }
}
