package io.lb4j.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Endpoint;
import io.lb4j.core.HashSelectorContract;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashModuloSelectorTest extends HashSelectorContract {

  @Override
  protected Algorithm algorithm() {
    return Algorithms.hashModulo();
  }

  @Override
  protected double shareTolerance() {
    return 0.05; // exact shares; only key sampling noise
  }

  @Test
  void keyGoesToHashModNInIdOrder() {
    List<Endpoint> endpoints = fleet(equalWeights(7), 2);
    List<Endpoint> byId = endpoints.stream().sorted(Comparator.comparing(Endpoint::id)).toList();
    Selector selector = algorithm().newSelector(candidates(endpoints, 1));
    for (long k = 0; k < 1_000; k++) {
      long key = Xxh64.hashLong(k);
      assertThat(selector.select(PickContext.create().hashKey(key)))
          .isEqualTo(byId.get((int) Long.remainderUnsigned(key, 7)));
    }
  }

  @Test
  void weightedKeyGoesToTheRangeHoldingHashModTotalWeight() {
    List<Endpoint> endpoints = fleet(List.of(3, 1, 2), 2); // ids sort in list order here
    Selector selector = algorithm().newSelector(candidates(endpoints, 1));
    int[] owner = {0, 0, 0, 1, 2, 2};
    for (long k = 0; k < 600; k++) {
      assertThat(selector.selectIndex(PickContext.create().hashKey(k))).isEqualTo(owner[(int) (k % 6)]);
    }
    assertThat(selector.selectIndex(PickContext.create().hashKey(-1L))) // 2^64 - 1 ≡ 3 (mod 6)
        .isEqualTo(1);
  }

  @Test
  void addingOneEndpointReshufflesMostKeysAsDocumented() {
    String[] old = idsOf(selectorOver(fleet(equalWeights(10), 1)), 20_000);
    String[] now = idsOf(selectorOver(fleet(equalWeights(11), 1)), 20_000);
    int moved = 0;
    for (int k = 0; k < old.length; k++) {
      if (!old[k].equals(now[k])) {
        moved++;
      }
    }
    assertThat(moved / 20_000.0).isCloseTo(10 / 11.0, org.assertj.core.api.Assertions.within(0.03));
  }

  @Test
  void excludedEndpointsKeysGoToTheNextIdInOrder() {
    List<Endpoint> endpoints = fleet(equalWeights(4), 2);
    Selector selector = algorithm().newSelector(candidates(endpoints, 1));
    PickContext context = PickContext.create().hashKey(1L).exclude(endpoints.get(1));
    assertThat(selector.select(context)).isEqualTo(endpoints.get(2));
    context.exclude(endpoints.get(2)).exclude(endpoints.get(3));
    assertThat(selector.select(context)).isEqualTo(endpoints.get(0));
  }
}
