package io.lb4j.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MembershipHistory;
import io.lb4j.core.MutableServerList;
import io.lb4j.core.Pick;
import io.lb4j.core.PickContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many threads pick through a {@link LoadBalancer} with keys, sessions and exclusions while the
 * server list churns: every pick was a member while it ran (checked against the membership of its
 * epochs, see {@link MembershipHistory}) and not excluded, nothing throws, and every in-flight
 * count returns to zero.
 */
class HashAlgorithmsUnderChurnTest {
  private static final int PICKERS = 4;
  private static final int PICKS = 3_000;

  @Test
  void everyHashAlgorithmStaysCorrectUnderConcurrentPicksAndMembershipChurn() throws Exception {
    Algorithm[] algorithms = {
      Algorithms.hashModulo(), Algorithms.ringHash(40), Algorithms.maglev(1009),
      Algorithms.boundedLoadHash(), Algorithms.rendezvous(), Algorithms.sticky(Algorithms.maglev(1009))
    };
    for (Algorithm algorithm : algorithms) {
      churn(algorithm);
    }
  }

  private static void churn(Algorithm algorithm) throws Exception {
    List<Endpoint> pool = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      pool.add(Endpoint.builder("10.4.0." + i, 8080).weight(1 + i % 4).build());
    }
    MutableServerList servers = MutableServerList.of(pool.subList(0, 8));
    MembershipHistory history = new MembershipHistory(servers.endpoints());
    LoadBalancer lb = LoadBalancer.builder(servers).algorithm(algorithm).build();
    List<String> violations = new CopyOnWriteArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(PICKERS + 1);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < PICKERS; t++) {
        int thread = t;
        futures.add(threads.submit(() -> {
          start.await();
          PickContext context = PickContext.create();
          for (int call = 0; call < PICKS; call++) {
            context.reset().hashKey("user-" + (call % 300)).sessionId("s" + (call % 50));
            if (call % 7 == 0) {
              context.exclude(pool.get((call + thread) % 16));
            }
            long from = history.epoch();
            Pick pick = lb.pick(context);
            long to = history.epoch();
            assertThat(context.isExcluded(pick.endpoint())).isFalse();
            if (!history.wasMemberBetween(pick.endpoint(), from, to)) {
              violations.add(pick.endpoint() + " was no member from epoch " + from + " to " + to);
            }
            pick.complete(true, 1_000);
          }
          return null;
        }));
      }
      futures.add(threads.submit(() -> {
        start.await();
        Random random = new Random(7);
        for (int change = 0; change < 300; change++) {
          Endpoint endpoint = pool.get(random.nextInt(16));
          List<Endpoint> next = new ArrayList<>(servers.endpoints());
          if (next.size() > 4 && next.remove(endpoint)) {
            history.change(next, () -> servers.remove(endpoint));
          } else if (!next.contains(endpoint)) {
            next.add(endpoint);
            history.change(next, () -> servers.add(endpoint));
          }
        }
        return null;
      }));
      start.countDown();
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
      lb.close();
    }
    assertThat(violations).as(algorithm.name()).isEmpty();
    for (Endpoint endpoint : servers.endpoints()) {
      assertThat(lb.stats(endpoint.id()).orElseThrow().inFlight()).as(algorithm.name()).isZero();
    }
  }
}
