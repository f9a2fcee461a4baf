package io.lb4j.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Candidates;
import io.lb4j.core.ConsistentHashContract;
import io.lb4j.core.Endpoint;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BoundedLoadHashSelectorTest extends ConsistentHashContract {

  @Override
  protected Algorithm algorithm() {
    return Algorithms.boundedLoadHash();
  }

  // With nothing in flight (these contract tests never start a request) it is exactly the ring.
  @Override
  protected double shareTolerance() {
    return 0.25;
  }

  @Override
  protected boolean movesOnlyNecessaryKeys() {
    return true;
  }

  @Override
  protected double maxMovedFraction(int n) {
    return 1.5 / n;
  }

  /**
   * Picks {@code picks} keys, most of them among {@code hotKeys} keys, holding every pick in flight,
   * and checks after each that no endpoint is above ⌈c × total × w_i / W⌉.
   */
  private static void assertBoundHoldsUnderHotKeys(
      List<Endpoint> endpoints, double c, int hotKeys, int picks, long seed) {
    Candidates candidates = Candidates.of(endpoints);
    Selector selector = Algorithms.boundedLoadHash(c).newSelector(candidates);
    Random random = new Random(seed);
    PickContext context = PickContext.create();
    for (int pick = 1; pick <= picks; pick++) {
      long key = random.nextInt(10) < 8 ? random.nextInt(hotKeys) : 1_000 + random.nextInt(100_000);
      int chosen = selector.selectIndex(context.reset().hashKey(Xxh64.hashLong(key)));
      LiveEndpointStats.of(candidates.stats(chosen)).start();
      for (int i = 0; i < candidates.size(); i++) {
        double bound = Math.ceil(c * pick * candidates.weight(i) / candidates.totalWeight());
        assertThat((double) candidates.stats(i).inFlight())
            .as("in flight of %s after %d picks, c=%s", candidates.endpoint(i), pick, c)
            .isLessThanOrEqualTo(bound);
      }
    }
  }

  @Test
  void noEndpointExceedsCTimesAverageUnderAFewHotKeys() {
    assertBoundHoldsUnderHotKeys(fleet(equalWeights(10), 1), 1.25, 3, 2_000, 1);
  }

  @Test
  void noEndpointExceedsItsWeightedShareOfCTimesTotal() {
    assertBoundHoldsUnderHotKeys(fleet(List.of(1, 2, 3, 1, 5, 2), 2), 1.25, 2, 2_000, 2);
  }

  @Test
  void boundHoldsForAnyBalanceFactorAndFleet() {
    qt().withExamples(40)
        .forAll(integers().between(1, 12), doubles().between(1.01, 3.0), integers().between(1, 5),
            integers().all())
        .checkAssert((n, c, hot, seed) ->
            assertBoundHoldsUnderHotKeys(fleet(equalWeights(n), seed), c, hot, 300, seed));
  }

  @Test
  void overflowGoesWhereTheRingSendsKeysWhenTheHomeIsExcluded() {
    List<Endpoint> endpoints = fleet(equalWeights(8), 3);
    Candidates candidates = Candidates.of(endpoints);
    Selector bounded = Algorithms.boundedLoadHash(1.25).newSelector(candidates);
    Selector ring = Algorithms.ringHash().newSelector(candidates);
    long key = Xxh64.hashLong(77);
    int home = ring.selectIndex(PickContext.create().hashKey(key));
    for (int i = 0; i < 4; i++) {
      LiveEndpointStats.of(candidates.stats(home)).start(); // 4 in flight, total 4: cap ⌈1.25 × 5 / 8⌉ = 1
    }
    int next = ring.selectIndex(PickContext.create().hashKey(key).exclude(endpoints.get(home)));
    assertThat(bounded.selectIndex(PickContext.create().hashKey(key))).isEqualTo(next).isNotEqualTo(home);
  }

  @Test
  void homeEndpointBelowItsCapKeepsItsKeyEvenWhenLoaded() {
    List<Endpoint> endpoints = fleet(equalWeights(4), 3);
    Candidates candidates = Candidates.of(endpoints);
    Selector bounded = Algorithms.boundedLoadHash(2.0).newSelector(candidates);
    long key = Xxh64.hashLong(5);
    int home = bounded.selectIndex(PickContext.create().hashKey(key));
    for (int i = 0; i < 4; i++) {
      LiveEndpointStats.of(candidates.stats(i)).start(); // every endpoint 1 in flight: cap ⌈2 × 5 / 4⌉ = 3
    }
    LiveEndpointStats.of(candidates.stats(home)).start();
    assertThat(bounded.selectIndex(PickContext.create().hashKey(key))).isEqualTo(home);
  }

  @Test
  void whenEveryAllowedEndpointIsAtItsCapTheLeastLoadedAllowedIsPicked() {
    List<Endpoint> endpoints = fleet(equalWeights(3), 4);
    Candidates candidates = Candidates.of(endpoints);
    Selector bounded = Algorithms.boundedLoadHash(1.1).newSelector(candidates);
    start(candidates, 1, 12);
    start(candidates, 2, 10);
    // Endpoint 0 is idle but excluded; total 22, cap ⌈1.1 × 23 / 3⌉ = 9: 1 and 2 are both over.
    for (long k = 0; k < 50; k++) {
      PickContext context = PickContext.create().hashKey(Xxh64.hashLong(k)).exclude(endpoints.get(0));
      assertThat(bounded.selectIndex(context)).isEqualTo(2);
    }
    start(candidates, 2, 4); // 12 and 14
    PickContext context = PickContext.create().hashKey(Xxh64.hashLong(3)).exclude(endpoints.get(0));
    assertThat(bounded.selectIndex(context)).isEqualTo(1);
  }

  private static void start(Candidates candidates, int index, int requests) {
    for (int i = 0; i < requests; i++) {
      LiveEndpointStats.of(candidates.stats(index)).start();
    }
  }

  @Test
  void balanceFactorMustBeFiniteAndAboveOne() {
    for (double bad : new double[] {1.0, 0.5, -2.0, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> Algorithms.boundedLoadHash(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("balanceFactor must be finite and > 1, was " + bad);
    }
    assertThat(Algorithms.boundedLoadHash(1.0001).name()).isEqualTo("bounded-load-hash");
  }
}
