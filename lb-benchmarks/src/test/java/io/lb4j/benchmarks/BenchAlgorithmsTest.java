package io.lb4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.benchmarks.BenchAlgorithms.KeyUse;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Selector;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchAlgorithmsTest {

  @Test
  void everySpecBuildsASelectorThatPicksAFleetMember() {
    List<Endpoint> fleet = BenchEndpoints.fleet(5);
    CallerState caller = new CallerState();
    caller.startAtRandomKey();
    for (String spec : BenchAlgorithms.SPECS) {
      Selector selector = BenchAlgorithms.byName(spec).newSelector(Candidates.of(fleet));
      for (int i = 0; i < 20; i++) {
        int index = selector.selectIndex(caller.contextFor(BenchAlgorithms.keyUse(spec)));
        assertThat(index).as(spec).isBetween(0, fleet.size() - 1);
      }
    }
  }

  @Test
  void pickBenchmarksCoverExactlyTheSpecs() {
    assertThat(Params.of(SelectorBenchmark.class, "algorithm"))
        .containsExactlyElementsOf(BenchAlgorithms.SPECS);
    assertThat(Params.of(LoadBalancerBenchmark.class, "algorithm"))
        .containsExactlyElementsOf(BenchAlgorithms.SPECS);
  }

  @Test
  void buildBenchmarkCoversOnlyKnownSpecs() {
    assertThat(BenchAlgorithms.SPECS).containsAll(Params.of(BuildBenchmark.class, "algorithm"));
  }

  @Test
  void allBenchmarksUseTheSameFleetSizes() {
    int[] sizes = Params.sizes(SelectorBenchmark.class);
    assertThat(sizes).containsExactly(3, 100, 1000, 10_000);
    for (Class<?> peer : List.of(FloorBenchmark.class, LoadBalancerBenchmark.class,
        ArmeriaBenchmark.class, DubboBenchmark.class, RibbonBenchmark.class)) {
      assertThat(Params.sizes(peer)).as(peer.getSimpleName()).containsExactly(sizes);
    }
  }

  @Test
  void unknownSpecFailsNamingItAndTheKnownOnes() {
    assertThatThrownBy(() -> BenchAlgorithms.byName("round-robbin"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown algorithm spec 'round-robbin', known: " + BenchAlgorithms.SPECS);
  }

  @Test
  void argumentToAnAlgorithmWithoutOneIsRejected() {
    assertThatThrownBy(() -> BenchAlgorithms.byName("round-robin:3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("algorithm spec 'round-robin:3' takes no argument");
  }

  @Test
  void malformedOrMissingArgumentsAreRejected() {
    assertThatThrownBy(() -> BenchAlgorithms.intArgument("ring-hash:x", "x"))
        .hasMessage("algorithm spec 'ring-hash:x' needs an int argument");
    assertThatThrownBy(() -> BenchAlgorithms.intArgument("ring-hash", null))
        .hasMessage("algorithm spec 'ring-hash' needs an argument after ':'");
    assertThatThrownBy(() -> BenchAlgorithms.byName("sticky"))
        .hasMessage("algorithm spec 'sticky' needs an argument after ':'");
    assertThat(BenchAlgorithms.doubleArgument("bounded-load-hash:1.25", "1.25")).isEqualTo(1.25);
  }

  @Test
  void argumentsReachTheFactories() {
    assertThat(BenchAlgorithms.byName("ring-hash:160").name()).isEqualTo("ring-hash");
    assertThat(BenchAlgorithms.byName("sticky:round-robin").name()).isEqualTo("sticky(round-robin)");
    assertThatThrownBy(() -> BenchAlgorithms.byName("maglev:65536"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65536");
  }

  @Test
  void keyUseFollowsTheAlgorithmFamily() {
    assertThat(BenchAlgorithms.keyUse("round-robin")).isEqualTo(KeyUse.NONE);
    assertThat(BenchAlgorithms.keyUse("ring-hash:160")).isEqualTo(KeyUse.HASH_KEY);
    assertThat(BenchAlgorithms.keyUse("maglev:65537")).isEqualTo(KeyUse.HASH_KEY);
    assertThat(BenchAlgorithms.keyUse("bounded-load-hash:1.25")).isEqualTo(KeyUse.HASH_KEY);
    assertThat(BenchAlgorithms.keyUse("sticky:round-robin")).isEqualTo(KeyUse.SESSION_ID);
  }
}
