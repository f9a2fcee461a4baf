package io.lb4j.okhttp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-28T05:00:00Z"), ZoneOffset.UTC);

  @Test
  void secondsAreReadAsADelay() {
    assertThat(RetryAfter.delayNanos("120", clock)).isEqualTo(TimeUnit.SECONDS.toNanos(120));
    assertThat(RetryAfter.delayNanos(" 0 ", clock)).isZero();
  }

  @Test
  void httpDateIsReadRelativeToTheClock() {
    assertThat(RetryAfter.delayNanos("Sat, 28 Nov 2026 05:00:30 GMT", clock))
        .isEqualTo(TimeUnit.SECONDS.toNanos(30));
  }

  @Test
  void pastDateMeansNoDelay() {
    assertThat(RetryAfter.delayNanos("Sat, 28 Nov 2026 04:00:00 GMT", clock)).isZero();
  }

  @Test
  void absentOrMalformedMeansNoHeader() {
    assertThat(RetryAfter.delayNanos(null, clock)).isEqualTo(-1);
    assertThat(RetryAfter.delayNanos("", clock)).isEqualTo(-1);
    assertThat(RetryAfter.delayNanos("soon", clock)).isEqualTo(-1);
    assertThat(RetryAfter.delayNanos("-5", clock)).isEqualTo(-1);
  }

  @Test
  void hugeNumberIsLongerThanAnyCap() {
    assertThat(RetryAfter.delayNanos("99999999999999999999999", clock)).isEqualTo(Long.MAX_VALUE);
  }
}
