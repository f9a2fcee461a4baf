package io.lb4j.core.internal.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.PickContext;
import io.lb4j.core.RandomSource;
import io.lb4j.core.Selector;
import io.lb4j.core.SelectorContract;
import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class PowerOfTwoChoicesSelectorTest extends SelectorContract {

  @Override
  protected Algorithm algorithm() {
    return Algorithms.powerOfTwoChoices();
  }

  private static void startRequests(Candidates candidates, int index, int count) {
    for (int i = 0; i < count; i++) {
      LiveEndpointStats.of(candidates.stats(index)).start();
    }
  }

  private static double load(Candidates candidates, int i) {
    return (candidates.stats(i).inFlight() + 1.0) / candidates.weight(i);
  }

  /** Replays the selector's two draws from a second source with the same seed. */
  @Test
  void neverPicksTheMoreLoadedOfItsTwoDraws() {
    qt().withExamples(300)
        .forAll(lists().of(integers().between(0, 12)).ofSizeBetween(2, 30), integers().all())
        .checkAssert((inFlight, seed) -> {
          List<Integer> weights = inFlight.stream().map(f -> 1 + (f * 7) % 5).toList();
          Candidates candidates = candidates(endpoints(weights), seed);
          for (int i = 0; i < inFlight.size(); i++) {
            startRequests(candidates, i, inFlight.get(i));
          }
          Selector selector = algorithm().newSelector(candidates);
          RandomSource replay = RandomSource.seeded(seed);
          int n = inFlight.size();
          for (int call = 0; call < 50; call++) {
            TwoDraws draws = TwoDraws.next(replay, n);
            int picked = selector.selectIndex(PickContext.create());
            assertThat(picked).isIn(draws.a(), draws.b());
            assertThat(load(candidates, picked)).as("%s", draws)
                .isLessThanOrEqualTo(load(candidates, draws.other(picked)));
          }
        });
  }

  @Test
  void theTwoDrawsAreDistinct() {
    Candidates candidates = candidates(endpoints(List.of(1, 1)), 5);
    startRequests(candidates, 0, 3);
    Selector selector = algorithm().newSelector(candidates);
    // Were both draws allowed to land on the busy endpoint 0, it would sometimes be picked.
    for (int i = 0; i < 1_000; i++) {
      assertThat(selector.selectIndex(PickContext.create())).isEqualTo(1);
    }
  }

  @Test
  void weightScalesTheLoad() {
    Candidates candidates = candidates(endpoints(List.of(1, 4)), 5);
    startRequests(candidates, 0, 2); // (2 + 1) / 1 = 3
    startRequests(candidates, 1, 5); // (5 + 1) / 4 = 1.5
    Selector selector = algorithm().newSelector(candidates);
    for (int i = 0; i < 100; i++) {
      assertThat(selector.selectIndex(PickContext.create())).isEqualTo(1);
    }
  }

  @Test
  void excludedLessLoadedDrawYieldsTheOther() {
    List<Endpoint> endpoints = endpoints(List.of(1, 1));
    Candidates candidates = candidates(endpoints, 5);
    startRequests(candidates, 0, 9);
    Selector selector = algorithm().newSelector(candidates);
    PickContext context = PickContext.create().exclude(endpoints.get(1));
    for (int i = 0; i < 100; i++) {
      assertThat(selector.selectIndex(context)).isEqualTo(0);
    }
  }

  @Test
  void singleCandidateIsPickedWithoutDrawing() {
    Candidates candidates = candidates(endpoints(List.of(3)), 5);
    assertThat(algorithm().newSelector(candidates).selectIndex(PickContext.create())).isZero();
  }

  @Test
  void lessLoadedKeepsTheFirstOnTies() {
    assertThat(TwoChoices.lessLoaded(4, 2.0, 7, 2.0)).isEqualTo(4);
    assertThat(TwoChoices.lessLoaded(4, 2.0, 7, 1.0)).isEqualTo(7);
    assertThat(TwoChoices.lessLoaded(4, 1.0, 7, 2.0)).isEqualTo(4);
  }
}
