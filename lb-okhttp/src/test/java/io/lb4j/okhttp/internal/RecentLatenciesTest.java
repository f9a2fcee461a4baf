package io.lb4j.okhttp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentLatenciesTest {

  @Test
  void percentileIsPublishedEveryThirtyTwoSamplesOverTheLatestTwoHundredFiftySix() {
    RecentLatencies p95 = new RecentLatencies(95);
    for (int i = 1; i <= 31; i++) {
      p95.record(i);
    }
    assertThat(p95.percentileNanos()).as("not yet computed").isZero();

    p95.record(32);
    // Samples 1..32: the 95th percentile by nearest rank is ceil(0.95 × 32) = 31.
    assertThat(p95.percentileNanos()).isEqualTo(31);

    for (int i = 0; i < RecentLatencies.SIZE; i++) {
      p95.record(1_000 + i);
    }
    // Only the latest 256 count: 1000..1255, rank ceil(0.95 × 256) = 244 → 1243.
    assertThat(p95.percentileNanos()).isEqualTo(1_243);
  }
}
