package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.endpoints;
import static io.lb4j.core.HealthFixtures.fail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Where a tracker's periodic work runs, and that nothing but close() ends it. */
class HealthTrackerSchedulingTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  @Test
  void fortyDefaultBalancersShareOneSchedulerThread() {
    Set<Thread> before = lb4jThreads();
    List<LoadBalancer> balancers = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        LoadBalancer lb = LoadBalancer.builder(ServerList.of(endpoints(3))).name("svc-" + i).build();
        balancers.add(lb);
        lb.pick().complete(true);
      }
      Set<Thread> created = lb4jThreads();
      created.removeAll(before);
      assertThat(created).as("lb4j threads started by 40 balancers").hasSizeLessThanOrEqualTo(1);
      assertThat(lb4jThreads()).extracting(Thread::getName).doesNotHaveDuplicates();
    } finally {
      balancers.forEach(LoadBalancer::close);
    }
  }

  @Test
  void aBalancerDroppedWithoutClosingIsNotPinnedByItsTrackersRefresh() {
    WeakReference<LoadBalancer> dropped = buildUseAndDrop();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
      System.gc();
      return dropped.get() == null;
    });
  }

  private static WeakReference<LoadBalancer> buildUseAndDrop() {
    LoadBalancer lb = LoadBalancer.builder(ServerList.of(endpoints(3))).name("forgotten").build();
    lb.pick().complete(true);
    return new WeakReference<>(lb);
  }

  @Test
  void anErrorThrownDuringARefreshDoesNotEndRefreshing() {
    FlakyTicker ticker = new FlakyTicker();
    List<Endpoint> members = endpoints(4);
    try (HealthTracker tracker = HealthTracker.builder().ticker(ticker)
        .refreshInterval(Duration.ofMillis(5)).build()) {
      tracker.updateMembership(members);
      fail(tracker, members.get(0), 5);
      assertThat(tracker.isAvailable(members.get(0))).isFalse();

      ticker.failNextRead();
      await().atMost(DEADLINE).until(ticker::failed);
      ticker.manual.advance(Duration.ofSeconds(30));

      await().atMost(DEADLINE).until(() -> tracker.isAvailable(members.get(0)));
    }
  }

  @Test
  void aCheckThrowingAnErrorCountsAsAFailedProbeAndProbingGoesOn() {
    AtomicInteger probes = new AtomicInteger();
    HealthCheck broken = endpoint -> {
      if (probes.incrementAndGet() == 1) {
        throw new NoClassDefFoundError("io/example/HealthClient");
      }
      return CompletableFuture.completedFuture(true);
    };
    try (HealthTracker tracker = HealthTracker.builder().healthCheck(broken)
        .healthCheckInterval(Duration.ofMillis(20)).healthCheckTimeout(Duration.ofMillis(10))
        .build()) {
      tracker.updateMembership(endpoints(1));
      await().atMost(DEADLINE).until(() -> probes.get() >= 5);
    }
  }

  @Test
  void aSuppliedSchedulerShutDownUnderTheTrackerDoesNotEndRefreshesOrProbes() {
    ScheduledExecutorService supplied = Executors.newSingleThreadScheduledExecutor();
    ManualTicker ticker = new ManualTicker();
    List<Endpoint> members = endpoints(4);
    AtomicInteger probes = new AtomicInteger();
    HealthCheck counting = endpoint -> {
      probes.incrementAndGet();
      return CompletableFuture.completedFuture(true);
    };
    try (HealthTracker tracker = HealthTracker.builder().ticker(ticker).scheduler(supplied)
        .refreshInterval(Duration.ofMillis(5)).healthCheck(counting)
        .healthCheckInterval(Duration.ofMillis(20)).healthCheckTimeout(Duration.ofMillis(10))
        .build()) {
      tracker.updateMembership(members);
      fail(tracker, members.get(0), 5);
      supplied.shutdownNow();
      ticker.advance(Duration.ofSeconds(30));

      await().atMost(DEADLINE).until(() -> tracker.isAvailable(members.get(0)));
      int afterShutdown = probes.get();
      await().atMost(DEADLINE).until(() -> probes.get() > afterShutdown + 8);
    } finally {
      supplied.shutdownNow();
    }
  }

  /** A ticker that throws an Error on one read when armed, as a broken clock source might. */
  private static final class FlakyTicker implements Ticker {
    final ManualTicker manual = new ManualTicker();
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicBoolean fired = new AtomicBoolean();

    void failNextRead() {
      armed.set(true);
    }

    boolean failed() {
      return fired.get();
    }

    @Override
    public long read() {
      if (armed.compareAndSet(true, false)) {
        fired.set(true);
        throw new AssertionError("clock glitch");
      }
      return manual.read();
    }
  }

  private static Set<Thread> lb4jThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("lb4j-") && !thread.getName().startsWith("lb4j-dns")
          && thread.isAlive()) {
        threads.add(thread);
      }
    }
    return threads;
  }
}
