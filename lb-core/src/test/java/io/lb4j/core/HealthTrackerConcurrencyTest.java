package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.endpoints;
import static io.lb4j.core.HealthFixtures.manualTracker;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

  /**
   * Membership churn, marks by two sources, refreshes and failing calls race through every lock
   * (server list, balancer rebuild, health). A lock-order inversion hangs a thread, which the
   * bounded join reports; a lost rebuild or an out-of-order membership delivery leaves the
   * balancer's selector or the tracker's members disagreeing with the final state. The timeout
   * runs on a separate thread, a backstop should a deadlocked thread block the test thread too.
   */
  @Test
  @Timeout(value = 40, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void picksStayWithinMembershipUnderOutcomesRefreshesMarksAndChurn() throws Exception {
    ManualTicker ticker = new ManualTicker();
    List<Endpoint> all = endpoints(12);
    MutableServerList servers = MutableServerList.of(all.subList(0, 6));
    MembershipHistory history = new MembershipHistory(servers.endpoints());
    // Not try-with-resources: after a deadlock, close() would block on the deadlocked lock and
    // hide runConcurrently's report behind the timeout.
    HealthTracker tracker = manualTracker(ticker).build();
    LoadBalancer lb = LoadBalancer.builder(servers).healthTracker(tracker).ticker(ticker).build();
    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicInteger picked = new AtomicInteger();
    runConcurrently(7, thread -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (int i = 0; i < 5_000; i++) {
        if (thread == 0) {
          Endpoint endpoint = all.get(random.nextInt(all.size()));
          List<Endpoint> next = new ArrayList<>(servers.endpoints());
          if (next.remove(endpoint)) {
            history.change(next, () -> servers.remove(endpoint.id()));
          } else {
            next.add(endpoint);
            history.change(next, () -> servers.add(endpoint));
          }
        } else if (thread == 1) {
          ticker.advance(Duration.ofMillis(100));
          tracker.refresh();
        } else if (thread == 2) {
          Endpoint endpoint = all.get(random.nextInt(all.size()));
          String source = random.nextBoolean() ? "breaker" : "operator";
          if (random.nextBoolean()) {
            tracker.markUnavailable(endpoint, source, "stress");
          } else {
            tracker.markAvailable(endpoint, source, "stress");
          }
        } else {
          try {
            long from = history.epoch();
            Pick pick = lb.pick();
            long to = history.epoch();
            if (!history.wasMemberBetween(pick.endpoint(), from, to)) {
              violations.add(pick.endpoint() + " was no member from epoch " + from + " to " + to);
            }
            picked.incrementAndGet();
            pick.complete(random.nextInt(3) != 0, 1_000);
          } catch (NoEndpointAvailableException e) {
            // An empty list during churn, or every member ejected or marked: legitimate here.
          }
        }
      }
    });
    assertThat(violations).isEmpty();
    assertThat(picked).as("picks that found an endpoint").hasPositiveValue();
    // Quiescent now: every change has been followed by its rebuild, in order.
    List<Endpoint> members = servers.endpoints();
    assertThat(lb.endpoints()).isEqualTo(members);
    assertThat(tracker.snapshot().endpoints()).extracting(HealthSnapshot.EndpointHealth::endpoint)
        .containsExactlyElementsOf(members);
    Candidates live = lb.selector().candidates();
    assertThat(live.endpoints()).isEqualTo(tracker.eligible(members));
    for (int i = 0; i < live.size(); i++) {
      assertThat(live.weight(i)).as("weight of %s", live.endpoint(i))
          .isEqualTo(tracker.effectiveWeight(live.endpoint(i)));
    }
    lb.close();
    tracker.close();
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
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    try {
      for (Future<?> future : futures) {
        future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException e) {
      long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
      throw new AssertionError(deadlocked == null ? "workers did not finish in 20 s"
          : "deadlock: " + Arrays.toString(
              ManagementFactory.getThreadMXBean().getThreadInfo(deadlocked, true, true)), e);
    } finally {
      pool.shutdownNow();
    }
  }
}
