package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualClockTest {

  @Test
  void periodicTaskRunsAtEveryBoundaryPassedWithTheClockSetToIt() {
    VirtualClock clock = new VirtualClock();
    List<Long> seen = new ArrayList<>();
    clock.onEachPeriod(10, () -> seen.add(clock.read()));

    clock.advanceTo(9);
    assertThat(seen).isEmpty();
    clock.advanceTo(35);
    assertThat(seen).containsExactly(10L, 20L, 30L);
    assertThat(clock.read()).isEqualTo(35);
    clock.advanceTo(40);
    assertThat(seen).containsExactly(10L, 20L, 30L, 40L);
  }

  @Test
  void timeNeverGoesBackwards() {
    VirtualClock clock = new VirtualClock();
    clock.advanceTo(100);

    assertThatThrownBy(() -> clock.advanceTo(99))
        .hasMessage("time must not go backwards: now 100 ns, asked for 99 ns");
    assertThatThrownBy(() -> clock.onEachPeriod(0, () -> {}))
        .hasMessage("periodNanos must be > 0, was 0");
  }
}
