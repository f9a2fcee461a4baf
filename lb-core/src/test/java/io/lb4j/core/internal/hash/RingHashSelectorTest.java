package io.lb4j.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.ConsistentHashContract;
import io.lb4j.core.Endpoint;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingHashSelectorTest extends ConsistentHashContract {

  @Override
  protected Algorithm algorithm() {
    return Algorithms.ringHash();
  }

  @Override
  protected double shareTolerance() {
    return 0.25; // 160+ points per endpoint: shares vary by about ±8% (1/√160); 3σ
  }

  @Override
  protected boolean movesOnlyNecessaryKeys() {
    return true;
  }

  @Override
  protected double maxMovedFraction(int n) {
    return 1.5 / n; // one endpoint's share: 1/n ± ring noise (±8%, up to ±30% at 4σ) and key sampling
  }

  @Test
  void oneHundredEqualEndpointsGetAMillionKeysWithinThirtyPercentOfTheMean() {
    double ratio = HashBalance.maxOverMean(algorithm(), 100, 1_000_000);
    System.out.printf("ring-hash (160 vnodes): max/mean over 100 endpoints, 1M keys = %.4f%n", ratio);
    assertThat(ratio).isLessThanOrEqualTo(1.3);
  }

  @Test
  void moreVirtualNodesEvenOutShares() {
    double coarse = HashBalance.maxOverMean(Algorithms.ringHash(10), 50, 200_000);
    double fine = HashBalance.maxOverMean(Algorithms.ringHash(1000), 50, 200_000);
    assertThat(fine).isLessThan(coarse).isLessThan(1.15);
  }

  @Test
  void pointsPerEndpointAreProportionalToWeightAndCappedNearTwoToTheTwenty() {
    Selector small = Algorithms.ringHash(7).newSelector(candidates(fleet(List.of(1, 2, 3), 1), 1));
    assertThat(small.toString()).startsWith("RingHashSelector{42 points}");
    Selector huge = Algorithms.ringHash(1 << 20)
        .newSelector(candidates(fleet(List.of(10_000, 10_000, 1), 1), 1));
    assertThat(huge.toString()).startsWith("RingHashSelector{1048576 points}"); // 524,262 × 2 + 52: weights kept in proportion
  }

  @Test
  void aSingleEndpointTakesEveryKey() {
    List<Endpoint> one = fleet(List.of(3), 9);
    Selector selector = algorithm().newSelector(candidates(one, 1));
    for (String id : idsOf(selector, 1_000)) {
      assertThat(id).isEqualTo(one.get(0).id());
    }
  }

  @Test
  void vnodesPerWeightMustBePositiveAndAtMostTwoToTheTwenty() {
    assertThatThrownBy(() -> Algorithms.ringHash(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("vnodesPerWeight must be > 0, was 0");
    assertThatThrownBy(() -> Algorithms.ringHash(-5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("vnodesPerWeight must be > 0, was -5");
    assertThatThrownBy(() -> Algorithms.ringHash((1 << 20) + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("vnodesPerWeight must be <= 1048576, was 1048577");
    assertThat(Algorithms.ringHash(1 << 20).name()).isEqualTo("ring-hash");
  }

  @Test
  void stringAndByteKeysMapLikeTheirPrecomputedHash() {
    Selector selector = algorithm().newSelector(candidates(fleet(List.of(1, 1, 1, 1, 1), 2), 1));
    for (int i = 0; i < 200; i++) {
      String key = "user-" + i;
      Endpoint expected = selector.select(PickContext.create().hashKey(Xxh64.hashUtf8(key)));
      assertThat(selector.select(PickContext.create().hashKey(key))).isEqualTo(expected);
      assertThat(selector.select(PickContext.create().hashKey(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
          .isEqualTo(expected);
    }
  }
}
