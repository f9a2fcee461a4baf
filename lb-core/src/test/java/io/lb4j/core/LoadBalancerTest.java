package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoadBalancerTest {
  private static final Endpoint A = Endpoint.of("a", 1);
  private static final Endpoint B = Endpoint.of("b", 1);
  private static final Endpoint C = Endpoint.of("c", 1);

  /** A server list that publishes whatever the test pushes, even an unchanged snapshot. */
  private static final class PushedServerList implements ServerList {
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile List<Endpoint> endpoints;

    PushedServerList(List<Endpoint> endpoints) {
      this.endpoints = endpoints;
    }

    void push(List<Endpoint> next) {
      endpoints = next;
      listeners.forEach(l -> l.onChange(next));
    }

    @Override
    public List<Endpoint> endpoints() {
      return endpoints;
    }

    @Override
    public Subscription subscribe(Listener listener) {
      listener.onChange(endpoints);
      listeners.add(listener);
      return () -> listeners.remove(listener);
    }
  }

  @Test
  void defaultAlgorithmIsLeastResponseTime() {
    LoadBalancer lb = LoadBalancer.builder(ServerList.of(A)).build();
    assertThat(lb.algorithm().name()).isEqualTo("least-response-time");
  }

  @Test
  void emptyListFailsWithEmptyListAndAMessage() {
    LoadBalancer lb = LoadBalancer.builder(MutableServerList.create()).name("orders").build();
    assertThatThrownBy(lb::pick)
        .isInstanceOf(NoEndpointAvailableException.class)
        .hasMessage("load balancer 'orders': the server list is empty")
        .satisfies(e -> assertThat(((NoEndpointAvailableException) e).reason())
            .isEqualTo(NoEndpointAvailableException.Reason.EMPTY_LIST));
  }

  @Test
  void completingTwiceThrowsNamingTheEndpointAndDecrementsOnce() {
    LoadBalancer lb = LoadBalancer.builder(ServerList.of(A)).build();
    Pick first = lb.pick();
    lb.pick();
    EndpointStats stats = lb.stats("a:1").orElseThrow();
    assertThat(stats.inFlight()).isEqualTo(2);
    first.complete(true);
    assertThatThrownBy(() -> first.complete(true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("pick of endpoint a:1 already completed");
    assertThat(stats.inFlight()).isEqualTo(1);
    assertThat(stats.successes()).isEqualTo(1);
  }

  @Test
  void cancelingEndsInFlightAndRecordsNoOutcomeAnywhere() {
    ManualTicker ticker = new ManualTicker();
    try (HealthTracker health = HealthTracker.builder().ticker(ticker).build();
        LoadBalancer lb = LoadBalancer.builder(ServerList.of(A, B)).healthTracker(health)
            .algorithm(Algorithms.roundRobin()).ticker(ticker).build()) {
      // Far more cancels than the 5 failures in a row that eject an endpoint.
      for (int i = 0; i < 20; i++) {
        Pick pick = lb.pick(PickContext.create().exclude(B));
        ticker.advance(Duration.ofMillis(100));
        pick.cancel();
        assertThat(pick.isCompleted()).isFalse();
        assertThat(pick.isCanceled()).isTrue();
        assertThat(pick.isDone()).isTrue();
      }
      EndpointStats stats = lb.stats("a:1").orElseThrow();
      assertThat(stats.inFlight()).isZero();
      assertThat(stats.successes()).isZero();
      assertThat(stats.failures()).isZero();
      assertThat(stats.latencyNanos()).isZero();
      assertThat(health.isAvailable(A)).isTrue();
      assertThat(health.snapshot().endpoints().get(0).consecutiveFailures()).isZero();
    }
  }

  @Test
  void cancelAndCompleteShareOneOnceOnlyFlag() {
    LoadBalancer lb = LoadBalancer.builder(ServerList.of(A)).build();
    EndpointStats stats = lb.stats("a:1").orElseThrow();
    Pick canceled = lb.pick();
    Pick completed = lb.pick();
    canceled.cancel();
    completed.complete(false, 5);

    assertThatThrownBy(() -> canceled.complete(true, 5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("pick of endpoint a:1 already canceled");
    assertThatThrownBy(canceled::cancel)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("pick of endpoint a:1 already canceled");
    assertThatThrownBy(completed::cancel)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("pick of endpoint a:1 already completed");
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.successes()).isZero();
    assertThat(stats.failures()).isEqualTo(1);
    assertThat(completed.isCanceled()).isFalse();
    assertThat(canceled).hasToString("Pick{a:1, canceled}");
    assertThat(completed).hasToString("Pick{a:1, completed}");
  }

  @Test
  void racingCancelAndCompleteEndEachPickExactlyOnce() throws Exception {
    LoadBalancer lb = LoadBalancer.builder(ServerList.of(A)).build();
    EndpointStats stats = lb.stats("a:1").orElseThrow();
    int picks = 2_000;
    AtomicInteger cancels = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < picks; i++) {
        Pick pick = lb.pick();
        CyclicBarrier start = new CyclicBarrier(2);
        Future<?> canceler = pool.submit(() -> {
          start.await();
          try {
            pick.cancel();
            cancels.incrementAndGet();
          } catch (IllegalStateException lost) {
            // completed first
          }
          return null;
        });
        Future<?> completer = pool.submit(() -> {
          start.await();
          try {
            pick.complete(true, 1);
          } catch (IllegalStateException lost) {
            // canceled first
          }
          return null;
        });
        canceler.get(5, TimeUnit.SECONDS);
        completer.get(5, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      lb.close();
    }
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.successes() + cancels.get()).isEqualTo(picks);
  }

  @Test
  void membershipListenersSeeTheCurrentMembersThenEveryAppliedChange() {
    MutableServerList servers = MutableServerList.of(A, B);
    LoadBalancer lb = LoadBalancer.builder(servers).algorithm(Algorithms.roundRobin()).build();
    List<List<Endpoint>> seen = new CopyOnWriteArrayList<>();
    List<Boolean> appliedFirst = new CopyOnWriteArrayList<>();
    lb.subscribeMembership(members -> {
      throw new IllegalStateException("a broken listener");
    });
    Subscription subscription = lb.subscribeMembership(members -> {
      seen.add(members);
      appliedFirst.add(lb.endpoints().equals(members)
          && members.stream().allMatch(e -> lb.stats(e.id()).isPresent()));
    });

    servers.add(C);
    servers.add(C); // unchanged: nothing published
    servers.remove(A);
    subscription.close();
    servers.remove(B);

    assertThat(seen).containsExactly(List.of(A, B), List.of(A, B, C), List.of(B, C));
    assertThat(appliedFirst).containsOnly(true);
    assertThatThrownBy(() -> lb.subscribeMembership(null))
        .isInstanceOf(NullPointerException.class).hasMessage("listener");
  }

  @Test
  void negativeLatencyIsRejectedAndLeavesThePickOpen() {
    LoadBalancer lb = LoadBalancer.builder(ServerList.of(A)).build();
    Pick pick = lb.pick();
    assertThatThrownBy(() -> pick.complete(true, -5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latencyNanos must be >= 0, was -5 for endpoint a:1");
    assertThat(pick.isDone()).isFalse();
    pick.complete(true, 5);
    assertThat(lb.stats("a:1").orElseThrow().inFlight()).isZero();
  }

  @Test
  void builderRejectsBadNameAndDecay() {
    LoadBalancer.Builder builder = LoadBalancer.builder(ServerList.of(A));
    assertThatThrownBy(() -> builder.name(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> builder.name(null))
        .isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> builder.latencyDecay(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("latencyDecay must be > 0, was PT0S");
    assertThatThrownBy(() -> builder.latencyDecay(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("latencyDecay must be > 0, was PT-1S");
    assertThatThrownBy(() -> LoadBalancer.builder(null))
        .isInstanceOf(NullPointerException.class).hasMessage("serverList");
  }

  @Test
  void statsSurviveRebuildsForEndpointsThatStay() {
    MutableServerList servers = MutableServerList.of(A, B);
    LoadBalancer lb = LoadBalancer.builder(servers).build();
    LiveEndpointStats statsOfA = LiveEndpointStats.of(lb.stats("a:1").orElseThrow());
    statsOfA.start();
    Selector before = lb.selector();

    servers.add(C);
    servers.remove("b:1");

    assertThat(lb.selector()).isNotSameAs(before);
    assertThat(lb.stats("a:1")).containsSame(statsOfA);
    assertThat(lb.stats("b:1")).isEmpty();
    Candidates candidates = lb.selector().candidates();
    assertThat(candidates.stats(candidates.indexOf("a:1"))).isSameAs(statsOfA);
    assertThat(statsOfA.inFlight()).isEqualTo(1);
  }

  @Test
  void removedEndpointIsNeverPickedAfterRemoval() {
    MutableServerList servers = MutableServerList.of(A, B, C);
    LoadBalancer lb = LoadBalancer.builder(servers).algorithm(Algorithms.roundRobin()).build();
    servers.remove("b:1");
    for (int i = 0; i < 100; i++) {
      Pick pick = lb.pick();
      assertThat(pick.endpoint()).isNotEqualTo(B);
      pick.complete(true);
    }
  }

  @Test
  void unchangedMembershipPublishesNothing() {
    PushedServerList servers = new PushedServerList(List.of(A, B));
    LoadBalancer lb = LoadBalancer.builder(servers).build();
    Selector before = lb.selector();
    servers.push(List.of(Endpoint.of("a", 1), Endpoint.of("b", 1)));
    assertThat(lb.selector()).isSameAs(before);
    servers.push(List.of(A, B, C));
    assertThat(lb.selector()).isNotSameAs(before);
  }

  @Test
  void closedBalancerIgnoresFurtherChanges() {
    MutableServerList servers = MutableServerList.of(A);
    LoadBalancer lb = LoadBalancer.builder(servers).build();
    lb.close();
    servers.add(B);
    assertThat(lb.endpoints()).containsExactly(A);
  }

  @Test
  void completeMeasuresFromThePickAndStampsTheLatencyAtTheCompletion() {
    ManualTicker ticker = new ManualTicker();
    try (LoadBalancer lb = LoadBalancer.builder(ServerList.of(A)).ticker(ticker).build()) {
      Pick pick = lb.pick();
      ticker.advance(Duration.ofMillis(5));
      pick.complete(true);
      // Stamped at the completion, the estimate has not decayed yet: exactly the 5 ms measured.
      assertThat(lb.stats("a:1").orElseThrow().latencyNanos()).isEqualTo(5_000_000.0);
      ticker.advance(Duration.ofSeconds(10));
      assertThat(lb.stats("a:1").orElseThrow().latencyNanos())
          .isCloseTo(5_000_000.0 / Math.E, within(1.0));
    }
  }

  @Test
  void aTrackerServingAnOpenBalancerIsRefusedToASecondOneAndFreedWhenTheFirstCloses() {
    try (HealthTracker tracker = HealthTracker.create()) {
      LoadBalancer orders = LoadBalancer.builder(ServerList.of(A)).name("orders")
          .healthTracker(tracker).build();
      assertThatThrownBy(() -> LoadBalancer.builder(ServerList.of(B)).name("billing")
              .healthTracker(tracker).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("health tracker already serves load balancer 'orders'; give load balancer "
              + "'billing' a tracker of its own: a tracker follows one membership");
      assertThat(orders.endpoints()).containsExactly(A);

      orders.close();
      try (LoadBalancer billing = LoadBalancer.builder(ServerList.of(B)).name("billing")
          .healthTracker(tracker).build()) {
        Pick pick = billing.pick();
        assertThat(pick.endpoint()).isEqualTo(B);
        pick.cancel();
      }
    }
  }

  @Test
  void closedBalancerRefusesPicksNamingItself() {
    LoadBalancer lb = LoadBalancer.builder(ServerList.of(A, B)).name("orders").build();
    lb.pick().complete(true);

    lb.close();
    lb.close(); // idempotent

    for (Runnable handsOutWork : List.<Runnable>of(lb::pick, () -> lb.pick(PickContext.create()),
        () -> lb.explain(PickContext.create()), () -> lb.selector().select(PickContext.create()))) {
      assertThatThrownBy(handsOutWork::run)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("load balancer 'orders' is closed");
    }
    assertThat(lb.selector().candidates().isEmpty()).isTrue();
    assertThat(lb.endpoints()).containsExactly(A, B);
  }
}
