package io.lb4j.core.internal.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import io.lb4j.core.RandomSource;
import org.junit.jupiter.api.Test;

class AliasTableTest {

  @Test
  void eachIndexGetsExactlyItsShareOfTheBuckets() {
    qt().withExamples(500)
        .forAll(lists().of(doubles().between(0.0, 1000.0)).ofSizeBetween(1, 60))
        .assuming(weights -> weights.stream().mapToDouble(Double::doubleValue).sum() > 0)
        .checkAssert(weights -> {
          double[] w = weights.stream().mapToDouble(Double::doubleValue).toArray();
          double total = weights.stream().mapToDouble(Double::doubleValue).sum();
          AliasTable table = new AliasTable(w);
          for (int i = 0; i < w.length; i++) {
            assertThat(table.probabilityOf(i)).as("index %d of %s", i, weights)
                .isCloseTo(w[i] / total, within(1e-9));
          }
        });
  }

  @Test
  void zeroWeightIsNeverDrawn() {
    AliasTable table = new AliasTable(new double[] {0, 3, 0, 1});
    RandomSource random = RandomSource.seeded(3);
    for (int i = 0; i < 10_000; i++) {
      assertThat(table.draw(random)).isIn(1, 3);
    }
  }

  @Test
  void drawsConvergeToTheWeightsWithinFiveSigma() {
    double[] weights = {1, 2, 3, 10, 0.5};
    double total = 16.5;
    int draws = 200_000;
    int[] counts = new int[weights.length];
    AliasTable table = new AliasTable(weights);
    RandomSource random = RandomSource.seeded(77);
    for (int i = 0; i < draws; i++) {
      counts[table.draw(random)]++;
    }
    for (int i = 0; i < weights.length; i++) {
      double p = weights[i] / total;
      double sigma = Math.sqrt(draws * p * (1 - p));
      assertThat((double) counts[i]).as("index %d", i).isCloseTo(draws * p, within(5 * sigma));
    }
  }

  @Test
  void rejectsEmptyNegativeNanAndAllZeroWeights() {
    assertThatThrownBy(() -> new AliasTable(new double[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("weights must not be empty");
    assertThatThrownBy(() -> new AliasTable(new double[] {1, -2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weights[1] must be finite and >= 0, was -2.0");
    assertThatThrownBy(() -> new AliasTable(new double[] {Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weights[0] must be finite and >= 0, was NaN");
    assertThatThrownBy(() -> new AliasTable(new double[] {0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sum of weights must be finite and > 0, was 0.0");
  }
}
