package io.lb4j.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.KeyHash;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The hash selectors' pick path and string-key hashing allocate nothing: measured with the JVM's
 * per-thread allocation counter over many calls, so one allocation per call would show as
 * kilobytes. (Counts bytes, not time.)
 */
class HashPickAllocationTest {
  private static final int CALLS = 20_000;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static long bytesAllocatedBy(LongSupplier calls) {
    calls.getAsLong(); // warm up: class loading, lazy initialization, JIT
    calls.getAsLong();
    long tid = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(tid);
    long sink = calls.getAsLong();
    long after = THREADS.getThreadAllocatedBytes(tid);
    assertThat(sink).isNotEqualTo(42); // keeps the work observable
    return after - before;
  }

  private static Selector selector(Algorithm algorithm) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      endpoints.add(Endpoint.builder("10.3.0." + i, 8080).weight(1 + i % 3).build());
    }
    return algorithm.newSelector(Candidates.of(endpoints));
  }

  @Test
  void hashPicksWithKeysSessionsAndExclusionsAllocateNothing() {
    Algorithm[] algorithms = {
      Algorithms.hashModulo(), Algorithms.ringHash(), Algorithms.maglev(),
      Algorithms.boundedLoadHash(), Algorithms.rendezvous(), Algorithms.sticky(Algorithms.ringHash())
    };
    for (Algorithm algorithm : algorithms) {
      Selector selector = selector(algorithm);
      PickContext context = PickContext.create().sessionId("session-1")
          .exclude(selector.candidates().endpoint(3));
      long bytes = bytesAllocatedBy(() -> {
        long sum = 0;
        for (int k = 0; k < CALLS; k++) {
          sum += selector.selectIndex(context.hashKey(Xxh64.hashLong(k)));
        }
        return sum;
      });
      assertThat(bytes).as("%s allocated over %d picks", algorithm.name(), CALLS)
          .isLessThan(CALLS);
    }
  }

  @Test
  void hashingAStringKeyAllocatesNothing() {
    String key = "user-Zoë-ключ-\uD83D\uDD11-" + "x".repeat(40);
    long bytes = bytesAllocatedBy(() -> {
      long sum = 0;
      for (int k = 0; k < CALLS; k++) {
        sum += KeyHash.of(key);
      }
      return sum;
    });
    assertThat(bytes).isLessThan(CALLS);
  }
}
