package io.lb4j.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EjectionBackoffTest {
  private final EjectionBackoff backoff = new EjectionBackoff(30, 300);

  @Test
  void doublesFromTheBaseUpToTheCap() {
    assertThat(backoff.durationNanos(1)).isEqualTo(30);
    assertThat(backoff.durationNanos(2)).isEqualTo(60);
    assertThat(backoff.durationNanos(4)).isEqualTo(240);
    assertThat(backoff.durationNanos(5)).isEqualTo(300);
    assertThat(backoff.durationNanos(1_000)).isEqualTo(300);
    assertThat(backoff.maxMultiplier()).isEqualTo(5);
  }

  @Test
  void doesNotOverflowNearLongMax() {
    EjectionBackoff huge = new EjectionBackoff(Long.MAX_VALUE / 3, Long.MAX_VALUE);
    assertThat(huge.durationNanos(10)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void multiplierDropsByOnePerBaseOfHealth() {
    assertThat(backoff.decayed(3, 29)).isEqualTo(3);
    assertThat(backoff.decayed(3, 30)).isEqualTo(2);
    assertThat(backoff.decayed(3, 89)).isEqualTo(1);
    assertThat(backoff.decayed(3, 10_000)).isZero();
    assertThat(backoff.decayed(3, -5)).isEqualTo(3);
  }
}
