package io.lb4j.core.internal.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import io.lb4j.core.SelectorContract;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightedRandomSelectorTest extends SelectorContract {

  @Override
  protected Algorithm algorithm() {
    return Algorithms.weightedRandom();
  }

  @Test
  void aliasTableGivesEachEndpointWeightOverTotal() {
    qt().withExamples(300).forAll(weightLists(), integers().all()).checkAssert((weights, seed) -> {
      Candidates candidates = candidates(endpoints(weights), seed);
      WeightedRandomSelector selector = new WeightedRandomSelector(candidates);
      for (int i = 0; i < weights.size(); i++) {
        assertThat(selector.probabilityOf(i)).as("endpoint %d of %s", i, weights)
            .isCloseTo((double) weights.get(i) / candidates.totalWeight(), within(1e-9));
      }
    });
  }

  /**
   * Each count is Binomial(picks, p): its standard deviation is sqrt(picks p (1 - p)), and a seeded
   * source makes the run reproducible, so 5 sigma is a bound that a correct table meets (a wrong
   * weight by a few percent misses it by far at 60 000 picks).
   */
  @Test
  void picksConvergeToWeightsWithinFiveSigma() {
    qt().withFixedSeed(20261128L).withExamples(40)
        .forAll(weightLists(), integers().all())
        .checkAssert((weights, seed) -> {
          Candidates candidates = candidates(endpoints(weights), seed);
          Selector selector = algorithm().newSelector(candidates);
          int picks = 60_000;
          int[] counts = countPicks(selector, picks);
          for (int i = 0; i < weights.size(); i++) {
            double p = (double) weights.get(i) / candidates.totalWeight();
            double sigma = Math.sqrt(picks * p * (1 - p));
            assertThat((double) counts[i]).as("endpoint %d of %s", i, weights)
                .isCloseTo(picks * p, within(5 * sigma));
          }
        });
  }

  @Test
  void heavierEndpointGetsProportionallyMore() {
    Selector selector = algorithm().newSelector(candidates(endpoints(List.of(1, 9)), 4));
    int heavy = 0;
    for (int i = 0; i < 100_000; i++) {
      heavy += selector.selectIndex(PickContext.create());
    }
    // p = 0.9, sigma = sqrt(100000 * 0.9 * 0.1) ≈ 95.
    assertThat(heavy).isBetween(90_000 - 475, 90_000 + 475);
  }

  @Test
  void uniformWeightsTakeThePlainRandomPath() {
    assertThat(algorithm().newSelector(candidates(endpoints(List.of(2, 2)), 1)))
        .isInstanceOf(RandomSelector.class);
    assertThat(algorithm().newSelector(candidates(endpoints(List.of(2, 1)), 1)))
        .isInstanceOf(WeightedRandomSelector.class);
  }
}
