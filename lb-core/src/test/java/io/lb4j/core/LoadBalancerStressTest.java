package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Eight threads pick and complete through one balancer while another churns its server list. Each
 * churned endpoint has a fresh id, so "removed before the pick began" is a plain comparison of
 * epochs: the churn thread records an id's removal epoch and only then publishes that epoch, after
 * {@code remove} has returned (the balancer rebuilds synchronously in the list's listener).
 */
class LoadBalancerStressTest {
  private static final int PICKERS = 8;
  private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(700);
  private static final Duration MAX_RUN = Duration.ofSeconds(8);
  private static final int MIN_CHANGES = 300;

  static Stream<Algorithm> algorithms() {
    return Stream.of(Algorithms.roundRobin(), Algorithms.smoothWeightedRoundRobin(),
        Algorithms.random(), Algorithms.weightedRandom(), Algorithms.leastConnections(),
        Algorithms.powerOfTwoChoices(), Algorithms.leastResponseTime(),
        Algorithms.responseTimeWeighted());
  }

  @ParameterizedTest
  @MethodSource("algorithms")
  void picksUnderChurnAreValidAndInFlightReturnsToZero(Algorithm algorithm) throws Exception {
    List<Endpoint> stable = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      stable.add(Endpoint.builder("stable", 9000 + i).weight(1 + i).build());
    }
    MutableServerList servers = MutableServerList.of(stable);
    LoadBalancer lb = LoadBalancer.builder(servers).name("stress").algorithm(algorithm).build();
    AtomicLong epoch = new AtomicLong();
    Map<String, Long> removedAtEpoch = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong picks = new AtomicLong();
    AtomicLong changes = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(PICKERS + 1);
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < PICKERS; t++) {
        futures.add(pool.submit(() -> {
          go.await();
          ThreadLocalRandom random = ThreadLocalRandom.current();
          PickContext context = PickContext.create();
          Pick held = null;
          while (!stop.get()) {
            context.reset();
            long startedAt = epoch.get();
            Pick pick = lb.pick(context);
            picks.incrementAndGet();
            Long removedAt = removedAtEpoch.get(pick.endpoint().id());
            if (removedAt != null && removedAt <= startedAt) {
              violations.add(pick.endpoint().id() + " removed at epoch " + removedAt
                  + " picked by a pick started at epoch " + startedAt);
            }
            // Keep one call in flight across rebuilds before completing it.
            if (held != null) {
              held.complete(random.nextInt(10) != 0, random.nextLong(1_000_000));
            }
            held = pick;
          }
          if (held != null) {
            held.complete(true, 1);
          }
          return null;
        }));
      }
      futures.add(pool.submit(() -> {
        go.await();
        int next = 0;
        List<Endpoint> churned = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stop.get()) {
          int action = random.nextInt(3);
          if (action == 0 || churned.isEmpty()) {
            Endpoint endpoint = Endpoint.builder("churn", 10_000 + (next++ % 50_000))
                .id("churn-" + next).weight(1 + random.nextInt(5)).build();
            servers.add(endpoint);
            churned.add(endpoint);
          } else if (action == 1) {
            Endpoint gone = churned.remove(random.nextInt(churned.size()));
            servers.remove(gone);
            markRemoved(List.of(gone), epoch, removedAtEpoch);
          } else {
            List<Endpoint> replacement = new ArrayList<>(stable);
            Endpoint fresh = Endpoint.builder("churn", 10_000 + (next++ % 50_000))
                .id("churn-" + next).build();
            replacement.add(fresh);
            servers.replaceAll(replacement);
            markRemoved(churned, epoch, removedAtEpoch);
            churned.clear();
            churned.add(fresh);
          }
          changes.incrementAndGet();
        }
        return null;
      }));
      go.countDown();
      // Run for a while and for enough list changes, however slow the machine; bounded either way.
      long started = System.nanoTime();
      await().atMost(MAX_RUN).pollInterval(Duration.ofMillis(20)).until(
          () -> System.nanoTime() - started >= RUN_NANOS && changes.get() >= MIN_CHANGES);
      stop.set(true);
      for (Future<?> future : futures) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
    assertThat(violations).isEmpty();
    assertThat(picks.get()).isPositive();
    for (Endpoint endpoint : servers.endpoints()) {
      assertThat(lb.stats(endpoint.id()).orElseThrow().inFlight()).as(endpoint.id()).isZero();
    }
    assertThat(changes.get()).isGreaterThanOrEqualTo(MIN_CHANGES);
    assertThat(removedAtEpoch).isNotEmpty();
  }

  private static void markRemoved(List<Endpoint> removed, AtomicLong epoch, Map<String, Long> removedAtEpoch) {
    long next = epoch.get() + 1;
    for (Endpoint endpoint : removed) {
      removedAtEpoch.put(endpoint.id(), next);
    }
    epoch.set(next);
  }
}
