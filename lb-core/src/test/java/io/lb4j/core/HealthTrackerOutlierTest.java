package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.endpoints;
import static io.lb4j.core.HealthFixtures.fail;
import static io.lb4j.core.HealthFixtures.manualTracker;
import static io.lb4j.core.HealthFixtures.recordEvents;
import static io.lb4j.core.HealthFixtures.succeed;
import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.HealthEvent.Type;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Passive outlier detection: when an endpoint is ejected, for how long, and when it returns. */
class HealthTrackerOutlierTest {
  private final ManualTicker ticker = new ManualTicker();
  private final List<Endpoint> members = endpoints(10);
  private final Endpoint a = members.get(0);
  private HealthTracker tracker;

  private HealthTracker start(HealthTracker.Builder builder) {
    tracker = builder.slowStartWindow(Duration.ZERO).build();
    tracker.updateMembership(members);
    return tracker;
  }

  @AfterEach
  void close() {
    tracker.close();
  }

  @Test
  void ejectsOnTheFifthConsecutiveFailureNotTheFourth() {
    start(manualTracker(ticker));
    List<HealthEvent> events = recordEvents(tracker);

    fail(tracker, a, 4);
    assertThat(tracker.isAvailable(a)).isTrue();
    fail(tracker, a, 1);

    assertThat(tracker.isAvailable(a)).isFalse();
    assertThat(tracker.eligible(members)).hasSize(9).doesNotContain(a);
    assertThat(events).singleElement().satisfies(event -> {
      assertThat(event.type()).isEqualTo(Type.EJECTED);
      assertThat(event.endpoint()).contains(a);
      assertThat(event.detail()).contains("5 consecutive failures", "PT30S");
    });
  }

  @Test
  void aSuccessResetsTheConsecutiveCount() {
    start(manualTracker(ticker).failureRateThresholdPercent(0));
    fail(tracker, a, 4);
    succeed(tracker, a, 1);
    fail(tracker, a, 4);

    assertThat(tracker.isAvailable(a)).isTrue();
    assertThat(tracker.snapshot().endpoints().get(0).consecutiveFailures()).isEqualTo(4);
  }

  @Test
  void configuredConsecutiveLimitIsHonoured() {
    start(manualTracker(ticker).consecutiveFailures(2));
    fail(tracker, a, 1);
    assertThat(tracker.isAvailable(a)).isTrue();
    fail(tracker, a, 1);
    assertThat(tracker.isAvailable(a)).isFalse();
  }

  @Test
  void failureRateEjectsOnlyOnceTheMinimumVolumeIsReached() {
    start(manualTracker(ticker).consecutiveFailures(0).failureRateMinRequests(20));
    // Alternating outcomes: a 50% failure rate that never makes two failures in a row.
    for (int i = 0; i < 19; i++) {
      tracker.recordOutcome(a, i % 2 == 1, 0);
    }
    assertThat(tracker.isAvailable(a)).as("19 requests, below the minimum volume").isTrue();

    tracker.recordOutcome(a, false, 0);

    assertThat(tracker.isAvailable(a)).as("20th request: 10 of 20 failed = 50%").isFalse();
  }

  @Test
  void failureRateBelowTheThresholdDoesNotEject() {
    start(manualTracker(ticker).consecutiveFailures(0));
    for (int i = 0; i < 200; i++) {
      tracker.recordOutcome(a, i % 3 != 0, 0); // 33% failures
    }
    assertThat(tracker.isAvailable(a)).isTrue();
  }

  @Test
  void failuresOlderThanTheWindowAreForgotten() {
    start(manualTracker(ticker).consecutiveFailures(0).failureRateMinRequests(20));
    fail(tracker, a, 15);
    ticker.advance(Duration.ofSeconds(11));
    succeed(tracker, a, 4);
    fail(tracker, a, 1);

    assertThat(tracker.isAvailable(a)).as("only 5 requests in the last 10 s").isTrue();
  }

  @Test
  void ejectionTimeDoublesWithEachRepeatAndIsCapped() {
    start(manualTracker(ticker));
    long[] expectedSeconds = {30, 60, 120, 240, 300, 300};
    for (long seconds : expectedSeconds) {
      fail(tracker, a, 5);
      assertThat(remainingEjection()).isEqualTo(Duration.ofSeconds(seconds));

      ticker.advance(Duration.ofSeconds(seconds).minusNanos(1));
      tracker.refresh();
      assertThat(tracker.isAvailable(a)).as("still ejected 1 ns before %s s", seconds).isFalse();

      ticker.advance(Duration.ofNanos(1));
      tracker.refresh();
      assertThat(tracker.isAvailable(a)).as("back after %s s", seconds).isTrue();
    }
  }

  @Test
  void returnsAfterTheEjectionTimeWithAnEvent() {
    start(manualTracker(ticker));
    List<HealthEvent> events = recordEvents(tracker);
    fail(tracker, a, 5);
    ticker.advance(Duration.ofSeconds(30));
    tracker.refresh();

    assertThat(events).extracting(HealthEvent::type).containsExactly(Type.EJECTED, Type.RETURNED);
    assertThat(tracker.eligible(members)).isSameAs(members);
  }

  @Test
  void multiplierShrinksByOnePerBaseTimeOfSustainedHealth() {
    start(manualTracker(ticker));
    ejectAndReturn(); // multiplier 1, 30 s
    ejectAndReturn(); // multiplier 2, 60 s
    ejectAndReturn(); // multiplier 3, 120 s
    assertThat(snapshotOfA().ejectionMultiplier()).isEqualTo(3);

    ticker.advance(Duration.ofSeconds(60)); // two base times healthy: 3 -> 1
    assertThat(snapshotOfA().ejectionMultiplier()).isEqualTo(1);
    fail(tracker, a, 5);

    assertThat(remainingEjection()).as("multiplier 2 again").isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void fullyForgivenAfterEnoughHealthyTime() {
    start(manualTracker(ticker));
    ejectAndReturn();
    ejectAndReturn();
    ticker.advance(Duration.ofMinutes(10));
    fail(tracker, a, 5);
    assertThat(remainingEjection()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void maxEjectionPercentRefusesTheEjectionBeyondIt() {
    start(manualTracker(ticker).maxEjectionPercent(30));
    for (int i = 0; i < 4; i++) {
      fail(tracker, members.get(i), 5);
    }
    assertThat(tracker.eligible(members)).hasSize(7);
    assertThat(tracker.isAvailable(members.get(3))).as("4th of 10 refused at 30%").isTrue();
    assertThat(tracker.isAvailable(members.get(2))).as("3rd of 10 allowed at 30%").isFalse();
  }

  @Test
  void refusedEndpointIsEjectedOnceRoomFrees() {
    start(manualTracker(ticker).maxEjectionPercent(10));
    Endpoint b = members.get(1);
    fail(tracker, a, 5);
    fail(tracker, b, 5);
    assertThat(tracker.isAvailable(b)).as("refused: 1 of 10 already ejected").isTrue();

    ticker.advance(Duration.ofSeconds(30));
    tracker.refresh();
    fail(tracker, b, 1);

    assertThat(tracker.isAvailable(a)).isTrue();
    assertThat(tracker.isAvailable(b)).as("still failing in a row, room now free").isFalse();
  }

  @Test
  void publishesOneChangePerEjectionAndNoneForOutcomesThatChangeNothing() {
    start(manualTracker(ticker));
    AtomicInteger changes = new AtomicInteger();
    tracker.subscribe(changes::incrementAndGet);
    succeed(tracker, a, 100);
    fail(tracker, a, 4);
    assertThat(changes).hasValue(0);
    fail(tracker, a, 10);
    assertThat(changes).hasValue(1);
  }

  @Test
  void outcomesOfNonMembersAreIgnored() {
    start(manualTracker(ticker));
    Endpoint stranger = Endpoint.of("192.168.1.1", 80);
    fail(tracker, stranger, 50);
    assertThat(tracker.isAvailable(stranger)).isTrue();
    assertThat(tracker.snapshot().endpoints()).hasSize(10);
  }

  @Test
  void aNonMemberKnownOnlyThroughAMarkIsNeverEjected() {
    start(manualTracker(ticker));
    List<HealthEvent> events = recordEvents(tracker);
    Endpoint stranger = Endpoint.of("192.168.1.2", 80);
    tracker.markUnavailable(stranger, "operator", "breaker open");
    fail(tracker, stranger, 20);
    assertThat(events).extracting(HealthEvent::type).containsExactly(Type.MARKED_UNAVAILABLE);
  }

  @Test
  void markUnavailableAndAvailablePublishOncePerChange() {
    start(manualTracker(ticker));
    List<HealthEvent> events = recordEvents(tracker);
    tracker.markUnavailable(a, "operator", "circuit breaker open");
    tracker.markUnavailable(a, "operator", "circuit breaker open");
    assertThat(tracker.isAvailable(a)).isFalse();
    assertThat(tracker.snapshot().endpoints().get(0).markedUnavailable()).contains("circuit breaker open");
    tracker.markAvailable(a, "operator", "circuit breaker closed");
    tracker.markAvailable(a, "operator", "circuit breaker closed");

    assertThat(tracker.isAvailable(a)).isTrue();
    assertThat(events).extracting(HealthEvent::type)
        .containsExactly(Type.MARKED_UNAVAILABLE, Type.MARKED_AVAILABLE);
  }

  private void ejectAndReturn() {
    fail(tracker, a, 5);
    ticker.advance(remainingEjection());
    tracker.refresh();
    assertThat(tracker.isAvailable(a)).isTrue();
  }

  private Duration remainingEjection() {
    return snapshotOfA().ejectedFor();
  }

  private HealthSnapshot.EndpointHealth snapshotOfA() {
    return tracker.snapshot().endpoints().get(0);
  }

  @Test
  void lateFailuresDuringAnEjectionDoNotSendTheEndpointBackOutWhenItReturns() {
    start(manualTracker(ticker));
    fail(tracker, a, 5);
    assertThat(tracker.isAvailable(a)).isFalse();
    fail(tracker, a, 30); // calls sent before the ejection, completing late

    ticker.advance(Duration.ofSeconds(30));
    tracker.refresh();
    assertThat(tracker.isAvailable(a)).isTrue();
    fail(tracker, a, 4);

    assertThat(tracker.isAvailable(a)).isTrue();
    assertThat(tracker.snapshot().endpoints().get(0).consecutiveFailures()).isEqualTo(4);
  }
}
