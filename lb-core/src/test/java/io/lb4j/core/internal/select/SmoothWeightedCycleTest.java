package io.lb4j.core.internal.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmoothWeightedCycleTest {

  private static void assertMatchesNginx(List<Integer> weights) {
    int[] cycle = SmoothWeightedCycle.of(weights.stream().mapToInt(Integer::intValue).toArray());
    NginxSmoothWeightedReference reference = new NginxSmoothWeightedReference(weights);
    for (int step = 0; step < cycle.length; step++) {
      int expected = reference.next();
      if (cycle[step] != expected) {
        throw new AssertionError("step " + step + " of weights " + weights + ": expected " + expected
            + " but was " + cycle[step]);
      }
    }
  }

  @Test
  void equalsTheNginxLoopForManySmallWeights() {
    qt().withExamples(1_000)
        .forAll(lists().of(integers().between(1, 12)).ofSizeBetween(1, 70))
        .checkAssert(SmoothWeightedCycleTest::assertMatchesNginx);
  }

  @Test
  void equalsTheNginxLoopForFewLargeWeights() {
    qt().withExamples(100)
        .forAll(lists().of(integers().between(1, 3_000)).ofSizeBetween(1, 8))
        .checkAssert(SmoothWeightedCycleTest::assertMatchesNginx);
  }

  @Test
  void equalsTheNginxLoopWithManyTies() {
    qt().withExamples(300)
        .forAll(lists().of(integers().between(1, 3)).ofSizeBetween(1, 200))
        .checkAssert(SmoothWeightedCycleTest::assertMatchesNginx);
  }

  @Test
  void fiveOneOne() {
    assertThat(SmoothWeightedCycle.of(new int[] {5, 1, 1})).containsExactly(0, 0, 1, 0, 2, 0, 0);
  }

  @Test
  void singleEndpointFillsTheCycle() {
    int[] cycle = SmoothWeightedCycle.of(new int[] {4});
    assertThat(cycle).containsExactly(0, 0, 0, 0);
    assertThat(Arrays.stream(cycle).sum()).isZero();
  }
}
