package io.lb4j.kubernetes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.RandomSource;
import io.lb4j.core.discovery.DiscoveryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryDelayTest {
  private static RetryDelay delays(double jitter) {
    return new RetryDelay(DiscoveryOptions.builder()
        .backoff(Duration.ofMillis(100), Duration.ofMillis(1000)).jitter(jitter)
        .random(RandomSource.seeded(7)).build());
  }

  @Test
  void withoutJitterDoublesFromTheInitialBackoffUpToTheMax() {
    RetryDelay delay = delays(0);

    assertThat(delay.delay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(delay.delay(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(delay.delay(4)).isEqualTo(Duration.ofMillis(800));
    assertThat(delay.delay(5)).isEqualTo(Duration.ofMillis(1000));
    assertThat(delay.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMillis(1000));
  }

  @Test
  void noFailureYetWaitsTheInitialBackoff() {
    assertThat(delays(0).delay(0)).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void jitterSpreadsBothWaysAroundTheBaseAndNeverPassesTheMax() {
    RetryDelay delay = delays(0.2);
    List<Long> second = new ArrayList<>();
    List<Long> capped = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      second.add(delay.delay(2).toMillis());
      capped.add(delay.delay(9).toMillis());
    }

    assertThat(second).allSatisfy(ms -> assertThat(ms).isBetween(160L, 240L))
        .anyMatch(ms -> ms < 180).anyMatch(ms -> ms > 220);
    assertThat(capped).allSatisfy(ms -> assertThat(ms).isBetween(800L, 1000L))
        .anyMatch(ms -> ms < 850).contains(1000L);
  }
}
