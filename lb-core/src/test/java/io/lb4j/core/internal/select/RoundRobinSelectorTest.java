package io.lb4j.core.internal.select;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Endpoint;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import io.lb4j.core.SelectorContract;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundRobinSelectorTest extends SelectorContract {

  @Override
  protected Algorithm algorithm() {
    return Algorithms.roundRobin();
  }

  @Test
  void everyEndpointGetsExactlyItsTurnPerCycle() {
    List<Endpoint> endpoints = endpoints(List.of(5, 1, 1));
    Selector selector = algorithm().newSelector(candidates(endpoints, 3));
    Map<Endpoint, Integer> counts = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      counts.merge(selector.select(PickContext.create()), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys(endpoints).allSatisfy((e, c) -> assertThat(c).isEqualTo(100));
  }

  @Test
  void consecutivePicksFollowListOrder() {
    List<Endpoint> endpoints = endpoints(List.of(1, 1, 1, 1));
    Selector selector = algorithm().newSelector(candidates(endpoints, 9));
    int first = selector.selectIndex(PickContext.create());
    for (int i = 1; i < 10; i++) {
      assertThat(selector.selectIndex(PickContext.create())).isEqualTo((first + i) % 4);
    }
  }

  @Test
  void excludedEndpointIsSkippedToTheNext() {
    List<Endpoint> endpoints = endpoints(List.of(1, 1, 1));
    Selector selector = algorithm().newSelector(candidates(endpoints, 9));
    PickContext context = PickContext.create().exclude(endpoints.get(0)).exclude(endpoints.get(1));
    for (int i = 0; i < 10; i++) {
      assertThat(selector.select(context)).isEqualTo(endpoints.get(2));
    }
  }
}
