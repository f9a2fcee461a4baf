package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PickContextTest {

  @Test
  void exclusionComparesIdsAndGrowsPastFour() {
    PickContext context = PickContext.create();
    for (int i = 0; i < 9; i++) {
      context.exclude(Endpoint.of("h", 100 + i));
    }
    context.exclude(Endpoint.of("h", 100));
    assertThat(context.excludedCount()).isEqualTo(9);
    assertThat(context.isExcluded(Endpoint.builder("h", 108).weight(7).build())).isTrue();
    assertThat(context.isExcluded(Endpoint.of("h", 109))).isFalse();
  }

  @Test
  void resetClearsEverything() {
    PickContext context = PickContext.create().hashKey(5).sessionId("s")
        .exclude(Endpoint.of("h", 1));
    context.reset();
    assertThat(context.hasHashKey()).isFalse();
    assertThat(context.sessionIdOrNull()).isNull();
    assertThat(context.excludedCount()).isZero();
    assertThatThrownBy(context::hashKey).isInstanceOf(IllegalStateException.class)
        .hasMessage("no hash key set");
  }
}
