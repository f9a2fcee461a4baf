package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.endpoints;
import static io.lb4j.core.HealthFixtures.manualTracker;
import static io.lb4j.core.HealthFixtures.recordEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.HealthEvent.Type;
import io.lb4j.core.HealthSnapshot.EndpointHealth;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Marks per source: an endpoint is out while any source marks it; each source lifts its own. */
class HealthTrackerMarksTest {
  private final ManualTicker ticker = new ManualTicker();
  private final List<Endpoint> members = endpoints(4);
  private final Endpoint a = members.get(0);
  private final AtomicInteger changes = new AtomicInteger();
  private HealthTracker tracker;
  private List<HealthEvent> events;

  @BeforeEach
  void start() {
    tracker = manualTracker(ticker).slowStartWindow(Duration.ZERO).build();
    tracker.updateMembership(members);
    tracker.subscribe(changes::incrementAndGet);
    events = recordEvents(tracker);
  }

  @AfterEach
  void close() {
    tracker.close();
  }

  private EndpointHealth healthOfA() {
    return tracker.snapshot().endpoints().get(0);
  }

  @Test
  void liftingOneSourcesMarkKeepsTheOthers() {
    tracker.markUnavailable(a, "operator", "drained for deploy");
    tracker.markUnavailable(a, "circuit-breaker", "circuit breaker open");

    tracker.markAvailable(a, "circuit-breaker", "circuit breaker closed");

    assertThat(tracker.isAvailable(a)).isFalse();
    assertThat(tracker.eligible(members)).doesNotContain(a);
    assertThat(healthOfA().marks()).containsExactly(Map.entry("operator", "drained for deploy"));

    tracker.markAvailable(a, "operator", "deploy done");

    assertThat(tracker.isAvailable(a)).isTrue();
    assertThat(tracker.eligible(members)).contains(a);
    assertThat(healthOfA().marks()).isEmpty();
    assertThat(healthOfA().markedUnavailable()).isEmpty();
  }

  @Test
  void eventsAndChangesArePublishedOncePerChangeOfEligibility() {
    tracker.markUnavailable(a, "operator", "drained");
    tracker.markUnavailable(a, "operator", "drained again"); // same source: nothing new
    tracker.markUnavailable(a, "circuit-breaker", "circuit breaker open"); // still out
    tracker.markAvailable(a, "circuit-breaker", "circuit breaker closed"); // still out
    tracker.markAvailable(a, "circuit-breaker", "circuit breaker closed"); // holds no mark
    tracker.markAvailable(a, "operator", "undrained");
    tracker.markAvailable(a, "operator", "undrained");

    assertThat(events).extracting(HealthEvent::type)
        .containsExactly(Type.MARKED_UNAVAILABLE, Type.MARKED_AVAILABLE);
    assertThat(events).extracting(HealthEvent::detail)
        .containsExactly("operator: drained", "operator: undrained");
    assertThat(events).extracting(HealthEvent::endpoint).containsOnly(Optional.of(a));
    assertThat(changes).hasValue(2);
  }

  @Test
  void snapshotListsEveryMarkInOrderWithItsReason() {
    tracker.markUnavailable(a, "circuit-breaker", "circuit breaker open");
    tracker.markUnavailable(a, "operator", "drained");
    tracker.markUnavailable(a, "operator", "a later reason is not kept");

    EndpointHealth health = healthOfA();
    assertThat(health.available()).isFalse();
    assertThat(health.marks()).containsExactly(
        Map.entry("circuit-breaker", "circuit breaker open"), Map.entry("operator", "drained"));
    assertThat(health.markedUnavailable()).contains("circuit breaker open; drained");
  }

  @Test
  void markOfAnotherSourceStillHoldsInPanic() {
    tracker.markUnavailable(a, "operator", "drained");
    tracker.markUnavailable(a, "circuit-breaker", "open");
    tracker.markAvailable(a, "circuit-breaker", "closed");
    for (Endpoint member : members.subList(1, 3)) {
      tracker.markUnavailable(member, "probe-tool", "down");
    }

    // 1 of 4 available: below the 50% panic threshold, yet marked endpoints stay out.
    assertThat(tracker.eligible(members)).containsExactly(members.get(3));
  }

  @Test
  void badSourceIsRejected() {
    assertThatThrownBy(() -> tracker.markUnavailable(a, " ", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("source must not be blank, was ' '");
    assertThatThrownBy(() -> tracker.markAvailable(a, null, "x"))
        .isInstanceOf(NullPointerException.class).hasMessage("source");
    assertThatThrownBy(() -> tracker.markUnavailable(a, "operator", null))
        .isInstanceOf(NullPointerException.class).hasMessage("reason");
  }
}
