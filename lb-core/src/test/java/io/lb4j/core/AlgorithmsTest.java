package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AlgorithmsTest {

  private static final List<Algorithm> WEIGHTED_AND_LOAD_AWARE = List.of(
      Algorithms.smoothWeightedRoundRobin(), Algorithms.random(), Algorithms.weightedRandom(),
      Algorithms.leastConnections(), Algorithms.powerOfTwoChoices(), Algorithms.leastResponseTime(),
      Algorithms.responseTimeWeighted());

  @Test
  void namesAreStableForLogsAndReports() {
    assertThat(WEIGHTED_AND_LOAD_AWARE).extracting(Algorithm::name).containsExactly(
        "smooth-weighted-round-robin", "random", "weighted-random", "least-connections",
        "power-of-two-choices", "least-response-time", "response-time-weighted");
  }

  @Test
  void nullCandidatesAreRejected() {
    for (Algorithm algorithm : WEIGHTED_AND_LOAD_AWARE) {
      assertThatThrownBy(() -> algorithm.newSelector(null)).as(algorithm.name())
          .isInstanceOf(NullPointerException.class).hasMessage("candidates");
    }
  }

  @Test
  void everySelectorChoosesAmongExactlyTheCandidatesItWasGiven() {
    Candidates candidates = Candidates.of(SelectorContract.endpoints(List.of(1, 2, 3)));
    for (Algorithm algorithm : WEIGHTED_AND_LOAD_AWARE) {
      assertThat(algorithm.newSelector(candidates).candidates()).as(algorithm.name()).isSameAs(candidates);
    }
  }

  @Test
  void slowStartAppliesOnlyWhereWeightMeansShareOfRequests() {
    assertThat(List.of(Algorithms.smoothWeightedRoundRobin(), Algorithms.weightedRandom(),
            Algorithms.leastConnections(), Algorithms.powerOfTwoChoices(),
            Algorithms.leastResponseTime(), Algorithms.responseTimeWeighted()))
        .allMatch(Algorithm::rampsWeights);
    assertThat(List.of(Algorithms.roundRobin(), Algorithms.random(), Algorithms.hashModulo(),
            Algorithms.ringHash(), Algorithms.maglev(), Algorithms.boundedLoadHash(),
            Algorithms.rendezvous()))
        .noneMatch(Algorithm::rampsWeights);
    assertThat(Algorithms.sticky(Algorithms.weightedRandom()).rampsWeights()).isTrue();
    assertThat(Algorithms.sticky(Algorithms.ringHash()).rampsWeights()).isFalse();
  }

  @Test
  void aCustomAlgorithmDoesNotRampUnlessItSaysSo() {
    Algorithm custom = new Algorithm() {
      @Override
      public Selector newSelector(Candidates candidates) {
        return Algorithms.random().newSelector(candidates);
      }

      @Override
      public String name() {
        return "custom";
      }
    };
    assertThat(custom.rampsWeights()).isFalse();
  }
}
