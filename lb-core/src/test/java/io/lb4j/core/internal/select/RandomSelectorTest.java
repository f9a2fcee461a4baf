package io.lb4j.core.internal.select;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import io.lb4j.core.SelectorContract;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandomSelectorTest extends SelectorContract {

  @Override
  protected Algorithm algorithm() {
    return Algorithms.random();
  }

  @Test
  void picksAreUniformWithinFiveSigmaWhateverTheWeights() {
    Selector selector = algorithm().newSelector(candidates(endpoints(List.of(1, 10, 3, 7)), 123));
    assertEvenWithinFiveSigma(countPicks(selector, 100_000), 100_000);
  }

  @Test
  void excludedDrawMovesToTheNextAllowed() {
    var endpoints = endpoints(List.of(1, 1, 1));
    Selector selector = algorithm().newSelector(candidates(endpoints, 8));
    PickContext context = PickContext.create().exclude(endpoints.get(1)).exclude(endpoints.get(2));
    for (int i = 0; i < 50; i++) {
      assertThat(selector.select(context)).isEqualTo(endpoints.get(0));
    }
  }
}
