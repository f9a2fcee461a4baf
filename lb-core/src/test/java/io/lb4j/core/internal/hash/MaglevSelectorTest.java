package io.lb4j.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.ConsistentHashContract;
import io.lb4j.core.Endpoint;
import io.lb4j.core.Selector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaglevSelectorTest extends ConsistentHashContract {

  @Override
  protected Algorithm algorithm() {
    return Algorithms.maglev();
  }

  @Override
  protected double shareTolerance() {
    return 0.05; // table shares are within one slot of the weights; what is left is key sampling
  }

  @Override
  protected boolean movesOnlyNecessaryKeys() {
    return false;
  }

  @Override
  protected double maxMovedFraction(int n) {
    return 2.0 / n;
  }

  @Test
  void oneHundredEqualEndpointsGetAMillionKeysWithinTenPercentOfTheMean() {
    double ratio = HashBalance.maxOverMean(algorithm(), 100, 1_000_000);
    System.out.printf("maglev (M=65537): max/mean over 100 endpoints, 1M keys = %.4f%n", ratio);
    assertThat(ratio).isLessThanOrEqualTo(1.1);
  }

  @Test
  void equalEndpointsOwnTableSlotsWithinOneOfEachOther() {
    List<Endpoint> endpoints = fleet(equalWeights(10), 4);
    Selector selector = Algorithms.maglev(1009).newSelector(candidates(endpoints, 1));
    Map<String, Integer> slots = slotCounts(selector, 1009);
    assertThat(slots).hasSize(10);
    assertThat(slots.values()).allSatisfy(count -> assertThat(count).isBetween(100, 101));
  }

  @Test
  void weightedEndpointsOwnSlotsInProportionToWeight() {
    List<Endpoint> endpoints = fleet(List.of(1, 2, 5, 2), 4);
    Selector selector = Algorithms.maglev(10_007).newSelector(candidates(endpoints, 1));
    Map<String, Integer> slots = slotCounts(selector, 10_007);
    int[] weights = {1, 2, 5, 2};
    for (int i = 0; i < weights.length; i++) {
      // Every round the heaviest takes one slot and the others their share: within a few slots.
      assertThat((double) slots.get(endpoints.get(i).id()))
          .isBetween(10_007 * weights[i] / 10.0 - 5, 10_007 * weights[i] / 10.0 + 5);
    }
  }

  @Test
  void everyEndpointGetsASlotEvenWhenTheTableIsBarelyLargeEnough() {
    List<Endpoint> endpoints = fleet(List.of(10_000, 1, 1, 1, 1, 1, 1), 6);
    Selector selector = Algorithms.maglev(7).newSelector(candidates(endpoints, 1));
    assertThat(slotCounts(selector, 7)).hasSize(7);
  }

  /** Keys 0..size-1 land on slots 0..size-1: the owner of each slot. */
  private static Map<String, Integer> slotCounts(Selector selector, int size) {
    Map<String, Integer> counts = new HashMap<>();
    io.lb4j.core.PickContext context = io.lb4j.core.PickContext.create();
    for (int slot = 0; slot < size; slot++) {
      counts.merge(selector.select(context.hashKey(slot)).id(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void tableSizeMustBeAPrimeInRange() {
    assertThatThrownBy(() -> Algorithms.maglev(65_536)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tableSize must be prime, was 65536 (divisible by 2)");
    assertThatThrownBy(() -> Algorithms.maglev(1_000_001)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tableSize must be prime, was 1000001 (divisible by 101)");
    assertThatThrownBy(() -> Algorithms.maglev(5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tableSize must be in [7, 67108864], was 5");
    assertThatThrownBy(() -> Algorithms.maglev(-3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tableSize must be in [7, 67108864], was -3");
    assertThatThrownBy(() -> Algorithms.maglev(67_108_879)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tableSize must be in [7, 67108864], was 67108879");
    assertThat(Algorithms.maglev(7).name()).isEqualTo("maglev");
  }

  @Test
  void tableSmallerThanTheFleetFailsAtBuildNamingBoth() {
    Algorithm small = Algorithms.maglev(11);
    assertThatThrownBy(() -> small.newSelector(candidates(fleet(equalWeights(12), 1), 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tableSize must be >= the number of candidates (12), was 11");
  }
}
