package io.lb4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import io.lb4j.core.SelectorContract;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeastConnectionsSelectorTest extends SelectorContract {

  @Override
  protected Algorithm algorithm() {
    return Algorithms.leastConnections();
  }

  private static double load(Candidates candidates, int i) {
    return (candidates.stats(i).inFlight() + 1.0) / candidates.weight(i);
  }

  @Test
  void alwaysPicksAMinimumOfInFlightPerWeightAmongAllowed() {
    qt().withExamples(300)
        .forAll(lists().of(integers().between(0, 6)).ofSizeBetween(1, 30), integers().all(),
            integers().between(0, 1 << 20))
        .checkAssert((inFlight, seed, mask) -> {
          List<Integer> weights = inFlight.stream().map(f -> 1 + (f * 3) % 4).toList();
          List<Endpoint> endpoints = endpoints(weights);
          Candidates candidates = candidates(endpoints, seed);
          Selector selector = algorithm().newSelector(candidates);
          PickContext context = PickContext.create();
          for (int i = 0; i < inFlight.size() - 1; i++) {
            if ((mask >>> (i % 20) & 1) == 1) {
              context.exclude(endpoints.get(i));
            }
          }
          for (int call = 0; call < 40; call++) {
            int picked = selector.selectIndex(context);
            for (int i = 0; i < inFlight.size(); i++) {
              if (!context.isExcluded(endpoints.get(i))) {
                assertThat(load(candidates, picked)).isLessThanOrEqualTo(load(candidates, i));
              }
            }
            // Calls stay in flight, so the loads move and later picks see them.
            candidates.stats(picked).start();
          }
        });
  }

  @Test
  void tiesAreBrokenUniformlyAtRandom() {
    Candidates candidates = candidates(endpoints(List.of(1, 1, 1, 1)), 31);
    Selector selector = algorithm().newSelector(candidates);
    assertEvenWithinFiveSigma(countPicks(selector, 40_000), 40_000);
  }

  @Test
  void idleHeavierEndpointWinsOverIdleLighterOne() {
    Candidates candidates = candidates(endpoints(List.of(1, 2)), 3);
    Selector selector = algorithm().newSelector(candidates);
    for (int i = 0; i < 50; i++) {
      assertThat(selector.selectIndex(PickContext.create())).isEqualTo(1);
    }
  }

  @Test
  void inFlightCallsSpreadInProportionToWeight() {
    Candidates candidates = candidates(endpoints(List.of(1, 3)), 3);
    Selector selector = algorithm().newSelector(candidates);
    for (int i = 0; i < 400; i++) {
      candidates.stats(selector.selectIndex(PickContext.create())).start();
    }
    assertThat(candidates.stats(0).inFlight()).isBetween(99, 101);
    assertThat(candidates.stats(1).inFlight()).isBetween(299, 301);
  }
}
