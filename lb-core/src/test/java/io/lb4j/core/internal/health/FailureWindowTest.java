package io.lb4j.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureWindowTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void countsOutcomesWithinTheWindowOnly() {
    FailureWindow window = new FailureWindow(10, SECOND);
    long t0 = 5 * SECOND;
    window.record(t0, true);
    window.record(t0 + SECOND / 2, false);
    window.record(t0 + 3 * SECOND, true);

    assertThat(window.requests(t0 + 3 * SECOND)).isEqualTo(3);
    assertThat(window.failures(t0 + 3 * SECOND)).isEqualTo(2);
    assertThat(window.requests(t0 + 10 * SECOND)).as("first bucket slid out").isEqualTo(1);
    assertThat(window.failures(t0 + 13 * SECOND)).as("all slid out").isZero();
  }

  @Test
  void countsMatchANaiveModelOfTheLastBucketsOverAnyTimeline() {
    // Each step moves time forward by 0..2,999 ms and records a success (even) or failure (odd).
    qt().withExamples(300)
        .forAll(lists().of(integers().between(0, 5_999)).ofSizeBetween(1, 200))
        .checkAssert(steps -> {
          long bucket = 100_000_000L; // 100 ms, 10 buckets: a 1 s window
          FailureWindow window = new FailureWindow(10, bucket);
          List<long[]> model = new ArrayList<>();
          long now = 7 * bucket;
          for (int step : steps) {
            now += (step / 2) * 1_000_000L;
            boolean failure = step % 2 == 1;
            window.record(now, failure);
            model.add(new long[] {now, failure ? 1 : 0});
            long oldestCounted = (Math.floorDiv(now, bucket) - 9) * bucket;
            long requests = 0;
            long failures = 0;
            for (long[] outcome : model) {
              if (outcome[0] >= oldestCounted) {
                requests++;
                failures += outcome[1];
              }
            }
            assertThat(window.requests(now)).isEqualTo(requests);
            assertThat(window.failures(now)).isEqualTo(failures);
          }
        });
  }

  @Test
  void aReusedBucketStartsFromZero() {
    FailureWindow window = new FailureWindow(2, SECOND);
    window.record(0, true);
    window.record(0, true);
    window.record(2 * SECOND, false); // same slot, two buckets later
    assertThat(window.requests(2 * SECOND)).isEqualTo(1);
    assertThat(window.failures(2 * SECOND)).isZero();
  }

  @Test
  void aStalledWriterDoesNotWipeANewerBucket() {
    FailureWindow window = new FailureWindow(2, SECOND);
    window.record(2 * SECOND, true);
    window.record(0, false); // same slot, two buckets older
    assertThat(window.failures(2 * SECOND)).isEqualTo(1);
    assertThat(window.requests(2 * SECOND)).isEqualTo(1);
  }

  @Test
  void negativeTickerReadingsWork() {
    FailureWindow window = new FailureWindow(4, SECOND);
    window.record(-SECOND / 2, true);
    window.record(SECOND / 2, true);
    assertThat(window.failures(SECOND / 2)).isEqualTo(2);
  }

  @Test
  void failureRateNeedsTheMinimumVolume() {
    FailureWindow window = new FailureWindow(10, SECOND);
    for (int i = 0; i < 9; i++) {
      window.record(0, true);
    }
    assertThat(window.failureRateReached(0, 10, 50)).isFalse();
    window.record(0, false);
    assertThat(window.failureRateReached(0, 10, 50)).isTrue();
    assertThat(window.failureRateReached(0, 10, 91)).isFalse();
  }

  @Test
  void clearForgetsEverything() {
    FailureWindow window = new FailureWindow(3, SECOND);
    window.record(0, true);
    window.clear();
    assertThat(window.requests(0)).isZero();
    window.record(0, true);
    assertThat(window.failures(0)).isEqualTo(1);
  }

  @Test
  void concurrentRecordsAcrossBucketRolloversLoseNothing() throws Exception {
    FailureWindow window = new FailureWindow(1_000, 1_000);
    AtomicLong clock = new AtomicLong();
    int threads = 8;
    int perThread = 50_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < perThread; i++) {
          // Time moves forward under the writers, so buckets roll over while they race.
          window.record(clock.incrementAndGet() / 8, i % 4 == 0);
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> future : futures) {
      future.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    long now = clock.get() / 8;
    // Window = 1,000 buckets of 1,000 ns = 1 ms of ticks, holding all 400,000 / 8 = 50,000 ticks.
    assertThat(window.requests(now)).isEqualTo((long) threads * perThread);
    assertThat(window.failures(now)).isEqualTo((long) threads * perThread / 4);
  }
}
