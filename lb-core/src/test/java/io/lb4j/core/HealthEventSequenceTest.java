package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.endpoints;
import static io.lb4j.core.HealthFixtures.fail;
import static io.lb4j.core.HealthFixtures.manualTracker;
import static io.lb4j.core.HealthFixtures.recordEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every event of a tracker carries its place in the tracker's order of decisions. */
class HealthEventSequenceTest {

  @Test
  void eventsOfOneTrackerAreNumberedFromOneInDecisionOrder() {
    ManualTicker ticker = new ManualTicker();
    List<Endpoint> members = endpoints(4);
    try (HealthTracker tracker = manualTracker(ticker).build()) {
      tracker.updateMembership(members);
      List<HealthEvent> events = recordEvents(tracker);
      fail(tracker, members.get(0), 5);
      tracker.markUnavailable(members.get(1), "operator", "drain");
      ticker.advance(Duration.ofSeconds(30));
      tracker.refresh();
      tracker.markAvailable(members.get(1), "operator", "done");

      assertThat(events).extracting(HealthEvent::type).containsExactly(HealthEvent.Type.EJECTED,
          HealthEvent.Type.MARKED_UNAVAILABLE, HealthEvent.Type.RETURNED,
          HealthEvent.Type.MARKED_AVAILABLE);
      assertThat(events).extracting(HealthEvent::sequence).containsExactly(1L, 2L, 3L, 4L);
    }
  }

  @Test
  void sequenceMustBePositive() {
    assertThatThrownBy(() -> new HealthEvent(HealthEvent.Type.PANIC_LEFT, Optional.empty(), "", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("sequence must be >= 1, was 0");
  }
}
