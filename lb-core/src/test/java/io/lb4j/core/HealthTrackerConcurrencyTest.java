package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.endpoints;
import static io.lb4j.core.HealthFixtures.manualTracker;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many threads recording outcomes, refreshing, churning membership and picking at once. */
class HealthTrackerConcurrencyTest {

  @Test
  void concurrentFailuresNeverEjectBeyondTheMaximumPercentage() throws Exception {
    ManualTicker ticker = new ManualTicker();
    List<Endpoint> members = endpoints(10);
    try (HealthTracker tracker = manualTracker(ticker).maxEjectionPercent(50).build()) {
      tracker.updateMembership(members);
      AtomicInteger maxSeen = new AtomicInteger();
      tracker.subscribe(() -> maxSeen.accumulateAndGet(ejected(tracker), Math::max));
      runConcurrently(8, thread -> {
        for (int i = 0; i < 20_000; i++) {
          tracker.recordOutcome(members.get((i + thread) % members.size()), false, 0);
        }
      });
      assertThat(ejected(tracker)).isEqualTo(5);
      assertThat(maxSeen).hasValueLessThanOrEqualTo(5);
    }
  }

  @Test
  void picksStayWithinMembershipUnderOutcomesRefreshesAndChurn() throws Exception {
    ManualTicker ticker = new ManualTicker();
    List<Endpoint> all = endpoints(12);
    MutableServerList servers = MutableServerList.of(all.subList(0, 6));
    try (HealthTracker tracker = manualTracker(ticker).build();
        LoadBalancer lb = LoadBalancer.builder(servers).healthTracker(tracker).ticker(ticker).build()) {
      AtomicBoolean failed = new AtomicBoolean();
      runConcurrently(6, thread -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 5_000; i++) {
          if (thread == 0) {
            Endpoint endpoint = all.get(random.nextInt(all.size()));
            if (!servers.remove(endpoint.id())) {
              servers.add(endpoint);
            }
          } else if (thread == 1) {
            ticker.advance(Duration.ofMillis(100));
            tracker.refresh();
          } else {
            try {
              Pick pick = lb.pick();
              if (!all.contains(pick.endpoint())) {
                failed.set(true);
              }
              pick.complete(random.nextInt(3) != 0, 1_000);
            } catch (NoEndpointAvailableException e) {
              // An empty list during churn, or every member ejected: both legitimate here.
            }
          }
        }
      });
      assertThat(failed).isFalse();
      tracker.updateMembership(servers.endpoints());
      assertThat(tracker.snapshot().endpoints()).extracting(HealthSnapshot.EndpointHealth::endpoint)
          .containsExactlyElementsOf(servers.endpoints());
    }
  }

  private static int ejected(HealthTracker tracker) {
    int ejected = 0;
    for (HealthSnapshot.EndpointHealth health : tracker.snapshot().endpoints()) {
      ejected += health.ejectedFor().isZero() ? 0 : 1;
    }
    return ejected;
  }

  interface Work {
    void run(int thread) throws Exception;
  }

  private static void runConcurrently(int threads, Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        go.await();
        work.run(thread);
        return null;
      }));
    }
    go.countDown();
    try {
      for (Future<?> future : futures) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
