package io.lb4j.core.internal.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PaddedCounterTest {

  @Test
  void startsAtItsInitialValueAndCountsUp() {
    PaddedCounter counter = new PaddedCounter(41);
    assertThat(counter.getAndIncrement()).isEqualTo(41);
    assertThat(counter.getAndIncrement()).isEqualTo(42);
    assertThat(counter).hasToString("43");
  }

  @Test
  void wrapsLikeAnInt() {
    PaddedCounter counter = new PaddedCounter(Integer.MAX_VALUE);
    assertThat(counter.getAndIncrement()).isEqualTo(Integer.MAX_VALUE);
    assertThat(counter.getAndIncrement()).isEqualTo(Integer.MIN_VALUE);
  }

  @Test
  void concurrentIncrementsAreNeverLostNorDuplicated() throws Exception {
    PaddedCounter counter = new PaddedCounter(0);
    int threads = 8;
    int perThread = 50_000;
    boolean[] seen = new boolean[threads * perThread];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<int[]>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          int[] values = new int[perThread];
          for (int i = 0; i < perThread; i++) {
            values[i] = counter.getAndIncrement();
          }
          return values;
        }));
      }
      for (Future<int[]> result : results) {
        for (int value : result.get(30, TimeUnit.SECONDS)) {
          assertThat(seen[value]).as("value %d handed out twice", value).isFalse();
          seen[value] = true;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(counter).hasToString(Integer.toString(threads * perThread));
  }
}
