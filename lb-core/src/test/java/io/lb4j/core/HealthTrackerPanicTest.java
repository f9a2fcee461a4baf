package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.endpoints;
import static io.lb4j.core.HealthFixtures.fail;
import static io.lb4j.core.HealthFixtures.manualTracker;
import static io.lb4j.core.HealthFixtures.recordEvents;
import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.HealthEvent.Type;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Panic mode: below the threshold of available members, every unmarked member is eligible. */
class HealthTrackerPanicTest {
  private final ManualTicker ticker = new ManualTicker();
  private final List<Endpoint> members = endpoints(4);
  private HealthTracker tracker;

  private void start(HealthTracker.Builder builder) {
    tracker = builder.slowStartWindow(Duration.ZERO).maxEjectionPercent(100).build();
    tracker.updateMembership(members);
  }

  @AfterEach
  void close() {
    tracker.close();
  }

  @Test
  void entersPanicBelowHalfAvailableAndLeavesWhenEnoughReturn() {
    start(manualTracker(ticker));
    List<HealthEvent> events = recordEvents(tracker);

    fail(tracker, members.get(0), 5);
    fail(tracker, members.get(1), 5);
    assertThat(tracker.isPanicking()).as("2 of 4 = 50% is not below 50%").isFalse();
    assertThat(tracker.eligible(members)).containsExactly(members.get(2), members.get(3));

    fail(tracker, members.get(2), 5);
    assertThat(tracker.isPanicking()).isTrue();
    assertThat(tracker.eligible(members)).containsExactlyElementsOf(members);
    assertThat(tracker.snapshot().panic()).isTrue();

    ticker.advance(Duration.ofSeconds(30));
    tracker.refresh();
    assertThat(tracker.isPanicking()).isFalse();
    assertThat(tracker.eligible(members)).isSameAs(members);

    assertThat(events).filteredOn(e -> e.endpoint().isEmpty()).extracting(HealthEvent::type)
        .containsExactly(Type.PANIC_ENTERED, Type.PANIC_LEFT);
  }

  @Test
  void panicIsAnnouncedOnceWhileItLasts() {
    start(manualTracker(ticker));
    List<HealthEvent> events = recordEvents(tracker);
    for (Endpoint member : members) {
      fail(tracker, member, 5);
    }
    tracker.refresh();
    tracker.markUnavailable(members.get(0), "operator", "breaker open");

    assertThat(events).filteredOn(e -> e.type() == Type.PANIC_ENTERED).hasSize(1);
    assertThat(events).filteredOn(e -> e.type() == Type.PANIC_LEFT).isEmpty();
  }

  @Test
  void markedEndpointsStayOutEvenInPanic() {
    start(manualTracker(ticker));
    tracker.markUnavailable(members.get(0), "operator", "drained by operator");
    fail(tracker, members.get(1), 5);
    fail(tracker, members.get(2), 5);

    assertThat(tracker.isPanicking()).isTrue();
    assertThat(tracker.eligible(members)).containsExactly(members.get(1), members.get(2), members.get(3));
  }

  @Test
  void allMarkedLeavesNothingEligible() {
    start(manualTracker(ticker));
    for (Endpoint member : members) {
      tracker.markUnavailable(member, "operator", "breaker open");
    }
    assertThat(tracker.eligible(members)).isEmpty();
  }

  @Test
  void zeroThresholdNeverPanics() {
    start(manualTracker(ticker).panicThresholdPercent(0));
    for (Endpoint member : members) {
      fail(tracker, member, 5);
    }
    assertThat(tracker.isPanicking()).isFalse();
    assertThat(tracker.eligible(members)).isEmpty();
  }

  @Test
  void hundredPercentThresholdPanicsOnAnySingleUnavailableEndpoint() {
    start(manualTracker(ticker).panicThresholdPercent(100));
    fail(tracker, members.get(0), 5);
    assertThat(tracker.isPanicking()).as("3 of 4 below 100%").isTrue();
    assertThat(tracker.eligible(members)).hasSize(4);
  }
}
