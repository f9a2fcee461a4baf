package io.lb4j.core.internal.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.lb4j.core.RandomSource;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void withoutJitterDelaysDoubleFromInitialUpToTheCap() {
    RetryBackoff backoff = new RetryBackoff(SECOND, 30 * SECOND, 0, RandomSource.seeded(1));
    long[] seconds = new long[8];
    for (int failures = 1; failures <= seconds.length; failures++) {
      seconds[failures - 1] = backoff.delayNanos(failures) / SECOND;
    }
    assertThat(seconds).containsExactly(1, 2, 4, 8, 16, 30, 30, 30);
  }

  @Test
  void hugeFailureCountsStayAtTheCapWithoutOverflow() {
    RetryBackoff backoff = new RetryBackoff(SECOND, 30 * SECOND, 0, RandomSource.seeded(1));
    assertThat(backoff.delayNanos(Integer.MAX_VALUE)).isEqualTo(30 * SECOND);
  }

  @Test
  void jitterSpreadsDelaysOverBothSidesOfTheBaseAndNeverPastTheCap() {
    RetryBackoff backoff = new RetryBackoff(SECOND, 30 * SECOND, 0.2, RandomSource.seeded(7));
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 1000; i++) {
      long delay = backoff.delayNanos(3);
      min = Math.min(min, delay);
      max = Math.max(max, delay);
      assertThat(backoff.delayNanos(20)).isBetween(24 * SECOND, 30 * SECOND);
    }
    assertThat(min).isBetween(3_200_000_000L, 3_400_000_000L);
    assertThat(max).isBetween(4_600_000_000L, 4_800_000_000L);
  }

  @Test
  void everyDelayLiesWithinTheJitterBandOfItsDoubledBaseAndNeverPastTheCap() {
    qt().withExamples(500)
        .forAll(longs().between(1, 10_000_000_000L), integers().between(1, 64),
            doubles().between(0, 0.99), integers().all())
        .checkAssert((initial, failures, jitter, seed) -> {
          long max = 30 * SECOND;
          RetryBackoff backoff =
              new RetryBackoff(Math.min(initial, max), max, jitter, RandomSource.seeded(seed));
          double base = Math.min((double) Math.min(initial, max) * Math.pow(2, failures - 1), max);
          long delay = backoff.delayNanos(failures);
          assertThat(delay).isLessThanOrEqualTo(max).isPositive();
          assertThat((double) delay).isBetween(Math.floor(base * (1 - jitter)) - 1,
              Math.ceil(base * (1 + jitter)) + 1);
        });
  }
}
