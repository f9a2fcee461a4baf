package io.lb4j.core.internal.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.PickContext;
import io.lb4j.core.RandomSource;
import io.lb4j.core.Selector;
import io.lb4j.core.SelectorContract;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SmoothWeightedRoundRobinSelectorTest extends SelectorContract {

  @Override
  protected Algorithm algorithm() {
    return Algorithms.smoothWeightedRoundRobin();
  }

  private static int period(List<Integer> weights) {
    int gcd = 0;
    int sum = 0;
    for (int w : weights) {
      gcd = BigInteger.valueOf(gcd).gcd(BigInteger.valueOf(w)).intValue();
      sum += w;
    }
    return sum / gcd;
  }

  @Test
  void weightsFiveOneOneGiveTheNginxSequence() {
    List<Endpoint> endpoints = endpoints(List.of(5, 1, 1));
    long seed = 11;
    Selector selector = algorithm().newSelector(candidates(endpoints, seed));
    int offset = RandomSource.seeded(seed).nextInt(7);
    String expected = "aabacaa".repeat(3);
    StringBuilder picked = new StringBuilder();
    for (int i = 0; i < 14; i++) {
      picked.append((char) ('a' + selector.selectIndex(PickContext.create())));
    }
    assertThat(picked.toString()).isEqualTo(expected.substring(offset, offset + 14));
  }

  @Test
  void sequenceEqualsTheNginxLoopForAnyWeights() {
    qt().withExamples(300)
        .forAll(weightLists(), integers().all())
        .checkAssert((weights, seed) -> {
          int period = period(weights);
          Selector selector = new SmoothWeightedRoundRobinSelector(candidates(endpoints(weights), seed));
          int offset = RandomSource.seeded(seed).nextInt(period);
          NginxSmoothWeightedReference reference = new NginxSmoothWeightedReference(weights);
          for (int i = 0; i < offset; i++) {
            reference.next();
          }
          for (int i = 0; i < 2 * period; i++) {
            assertThat(selector.selectIndex(PickContext.create()))
                .as("pick %d of weights %s", i, weights)
                .isEqualTo(reference.next());
          }
        });
  }

  @Test
  void everyCycleGivesEachEndpointExactlyItsReducedWeight() {
    qt().withExamples(300)
        .forAll(weightLists(), integers().all())
        .checkAssert((weights, seed) -> {
          int period = period(weights);
          int gcd = weights.stream().mapToInt(Integer::intValue).sum() / period;
          Selector selector = new SmoothWeightedRoundRobinSelector(candidates(endpoints(weights), seed));
          int[] counts = countPicks(selector, period);
          for (int i = 0; i < weights.size(); i++) {
            assertThat(counts[i]).as("endpoint %d of %s", i, weights).isEqualTo(weights.get(i) / gcd);
          }
        });
  }

  @Test
  void weightsAboveTheCycleBoundAreScaledDownProportionally() {
    List<Integer> weights = new ArrayList<>(Collections.nCopies(7, Endpoint.MAX_WEIGHT));
    weights.add(9_999);
    weights.add(1);
    long sum = weights.stream().mapToLong(Integer::longValue).sum();
    SmoothWeightedRoundRobinSelector selector =
        new SmoothWeightedRoundRobinSelector(candidates(endpoints(weights), 5));

    int[] cycle = selector.cycle();
    int[] counts = new int[weights.size()];
    for (int index : cycle) {
      counts[index]++;
    }
    assertThat(sum).isGreaterThan(SmoothWeightedRoundRobinSelector.MAX_CYCLE);
    assertThat(cycle.length).isLessThanOrEqualTo(SmoothWeightedRoundRobinSelector.MAX_CYCLE + weights.size());
    for (int i = 0; i < weights.size(); i++) {
      long expected = Math.max(1, weights.get(i) * (long) SmoothWeightedRoundRobinSelector.MAX_CYCLE / sum);
      assertThat(counts[i]).as("endpoint %d", i).isEqualTo(expected);
    }
    assertThat(counts[weights.size() - 1]).as("the lightest keeps at least one turn").isEqualTo(1);
  }

  @Test
  void scaledCycleOfALargeFleetIsTheNginxSequenceOfTheScaledWeights() {
    Random random = new Random(2026);
    List<Integer> weights = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      weights.add(1 + random.nextInt(Endpoint.MAX_WEIGHT));
    }
    Candidates candidates = candidates(endpoints(weights), 5);
    int[] scaled = SmoothWeightedRoundRobinSelector.cycleWeights(candidates);
    int[] cycle = new SmoothWeightedRoundRobinSelector(candidates).cycle();

    List<Integer> scaledList = Arrays.stream(scaled).boxed().toList();
    NginxSmoothWeightedReference reference = new NginxSmoothWeightedReference(scaledList);
    assertThat(cycle).hasSize(scaledList.stream().mapToInt(Integer::intValue).sum());
    for (int step = 0; step < cycle.length; step++) {
      int expected = reference.next();
      if (cycle[step] != expected) {
        throw new AssertionError("step " + step + ": expected " + expected + " but was " + cycle[step]);
      }
    }
  }

  @Test
  void cycleIsBuiltFromWeightsDividedByTheirGcd() {
    SmoothWeightedRoundRobinSelector selector =
        new SmoothWeightedRoundRobinSelector(candidates(endpoints(List.of(500, 100, 100)), 5));
    assertThat(selector.cycle()).containsExactly(0, 0, 1, 0, 2, 0, 0);
  }

  @Test
  void uniformWeightsTakeThePlainRoundRobinPath() {
    Candidates uniform = candidates(endpoints(List.of(3, 3, 3)), 1);
    Candidates mixed = candidates(endpoints(List.of(3, 1, 3)), 1);
    assertThat(algorithm().newSelector(uniform)).isInstanceOf(RoundRobinSelector.class);
    assertThat(algorithm().newSelector(mixed)).isInstanceOf(SmoothWeightedRoundRobinSelector.class);
  }

  @Test
  void excludedEndpointIsSkippedToTheNextInListOrder() {
    List<Endpoint> endpoints = endpoints(List.of(5, 1, 1));
    Selector selector = algorithm().newSelector(candidates(endpoints, 2));
    PickContext context = PickContext.create().exclude(endpoints.get(0));
    int[] counts = new int[3];
    for (int i = 0; i < 7; i++) {
      counts[selector.selectIndex(context)]++;
    }
    // a's five turns fall through to b, its next neighbour.
    assertThat(counts).containsExactly(0, 6, 1);
  }
}
