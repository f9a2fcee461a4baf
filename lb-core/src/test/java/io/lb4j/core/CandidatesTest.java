package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidatesTest {

  private static Candidates withWeights(Integer... weights) {
    return Candidates.of(SelectorContract.endpoints(List.of(weights)));
  }

  @Test
  void weightsAreUniformOnlyWhenAllAreEqual() {
    assertThat(withWeights(3, 3, 3).hasUniformWeights()).isTrue();
    assertThat(withWeights().hasUniformWeights()).isTrue();
    // Same sum as three 3s: a sum-based check would call these uniform.
    assertThat(withWeights(3, 2, 4).hasUniformWeights()).isFalse();
    assertThat(withWeights(2, 4).hasUniformWeights()).isFalse();
  }

  @Test
  void effectiveWeightOutOfRangeIsRejectedNamingEndpointAndValue() {
    List<Endpoint> endpoints = List.of(Endpoint.of("a", 1));
    assertThatThrownBy(() -> TestCandidates.of(endpoints, e -> LiveEndpointStats.create(), e -> 0,
            Ticker.system(), RandomSource.seeded(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("effective weight must be in [1, 10000], was 0 for endpoint a:1");
  }
}
