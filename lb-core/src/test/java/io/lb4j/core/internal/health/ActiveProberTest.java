package io.lb4j.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.RandomSource;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ActiveProberTest {

  private static RandomSource fixed(double value) {
    return new RandomSource() {
      @Override
      public int nextInt(int bound) {
        return 0;
      }

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  @Test
  void jitterSpansIntervalPlusOrMinusThePercentage() {
    assertThat(ActiveProber.jittered(1_000_000, 15, fixed(0.0))).isEqualTo(850_000);
    assertThat(ActiveProber.jittered(1_000_000, 15, fixed(0.5))).isEqualTo(1_000_000);
    assertThat(ActiveProber.jittered(1_000_000, 15, fixed(0.75))).isEqualTo(1_075_000);
    assertThat(ActiveProber.jittered(1_000_000, 0, fixed(0.0))).isEqualTo(1_000_000);
  }

  @Test
  void jitteredDelaysFromARealSourceStayInRangeAndDiffer() {
    RandomSource random = RandomSource.seeded(42);
    Set<Long> delays = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      long delay = ActiveProber.jittered(1_000_000, 15, random);
      assertThat(delay).isBetween(850_000L, 1_150_000L);
      delays.add(delay);
    }
    assertThat(delays).hasSizeGreaterThan(900);
  }
}
