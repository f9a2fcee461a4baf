package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.endpoints;
import static io.lb4j.core.HealthFixtures.fail;
import static io.lb4j.core.HealthFixtures.manualTracker;
import static io.lb4j.core.HealthFixtures.recordEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lb4j.core.HealthEvent.Type;
import io.lb4j.core.HealthSnapshot.EndpointHealth;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Detectors' soft verdicts: counted with ejections and probes against the max-ejection budget,
 * overridden by panic, kept per source; operators' hard marks hold in panic.
 */
class HealthTrackerSoftVerdictTest {
  private final ManualTicker ticker = new ManualTicker();
  private final List<Endpoint> members = endpoints(4);
  private HealthTracker tracker;

  private HealthTracker start(HealthTracker.Builder builder) {
    tracker = builder.build();
    tracker.updateMembership(members);
    return tracker;
  }

  @AfterEach
  void close() {
    tracker.close();
  }

  @Test
  void aVerdictWithinTheBudgetTakesTheEndpointOutAndPublishes() {
    start(manualTracker(ticker));
    List<HealthEvent> events = recordEvents(tracker);

    tracker.reportUnhealthy(members.get(0), "breaker", "circuit breaker open");

    assertThat(tracker.isAvailable(members.get(0))).isFalse();
    assertThat(tracker.eligible(members)).containsExactly(members.get(1), members.get(2), members.get(3));
    assertThat(events).singleElement().satisfies(event -> {
      assertThat(event.type()).isEqualTo(Type.REPORTED_UNHEALTHY);
      assertThat(event.detail()).isEqualTo("breaker: circuit breaker open");
    });
    assertThat(tracker.snapshot().endpoints().get(0).verdicts())
        .containsExactly(org.assertj.core.api.Assertions.entry("breaker", "circuit breaker open"));
  }

  @Test
  void verdictsBeyondTheBudgetAreOverriddenAndTakeEffectWhenASlotFrees() {
    start(manualTracker(ticker)); // 50% of 4: two slots
    for (Endpoint member : members) {
      tracker.reportUnhealthy(member, "breaker", "open");
    }

    assertThat(members).filteredOn(tracker::isAvailable).containsExactly(members.get(2), members.get(3));
    assertThat(tracker.isPanicking()).isFalse();
    assertThat(tracker.snapshot().endpoints()).extracting(EndpointHealth::overridden)
        .containsExactly(false, false, true, true);
    assertThat(tracker.isOverridden(members.get(2), "breaker")).isTrue();
    assertThat(tracker.isOverridden(members.get(0), "breaker")).isFalse();

    tracker.reportHealthy(members.get(0), "breaker", "closed");

    assertThat(members).filteredOn(tracker::isAvailable).containsExactly(members.get(0), members.get(3));
  }

  @Test
  void verdictsAndEjectionsShareOneBudget() {
    start(manualTracker(ticker));
    tracker.reportUnhealthy(members.get(0), "breaker", "open");
    tracker.reportUnhealthy(members.get(1), "breaker", "open");

    fail(tracker, members.get(2), 5);

    assertThat(tracker.isAvailable(members.get(2))).as("ejection refused: budget spent").isTrue();
    assertThat(tracker.snapshot().endpoints().get(2).ejectedFor()).isZero();
  }

  @Test
  void probesDownAndVerdictsOnEveryEndpointLeaveHalfEligibleNeverNone() {
    start(manualTracker(ticker).maxEjectionPercent(100));
    for (Endpoint member : members) {
      tracker.reportUnhealthy(member, "breaker", "open");
    }

    assertThat(tracker.isPanicking()).isTrue();
    assertThat(tracker.eligible(members)).isEqualTo(members);
    assertThat(tracker.isOverridden(members.get(0), "breaker")).as("panic overrides").isTrue();
  }

  @Test
  void hardMarksHoldInPanicWhileSoftVerdictsDoNot() {
    start(manualTracker(ticker).maxEjectionPercent(100));
    tracker.markUnavailable(members.get(0), "operator", "drained");
    tracker.markUnavailable(members.get(1), "operator", "drained");
    tracker.reportUnhealthy(members.get(2), "breaker", "open");

    assertThat(tracker.isPanicking()).isTrue();
    assertThat(tracker.eligible(members)).containsExactly(members.get(2), members.get(3));
  }

  @Test
  void eachSourceLiftsOnlyItsOwnVerdict() {
    start(manualTracker(ticker));
    Endpoint a = members.get(0);
    tracker.reportUnhealthy(a, "breaker#1", "open");
    tracker.reportUnhealthy(a, "breaker#2", "open");

    tracker.reportHealthy(a, "breaker#1", "closed");
    assertThat(tracker.isAvailable(a)).isFalse();

    tracker.reportHealthy(a, "breaker#2", "closed");
    assertThat(tracker.isAvailable(a)).isTrue();
  }

  @Test
  void aLiftedVerdictBringsTheEndpointBackRampingWithFreshCounters() {
    start(manualTracker(ticker));
    Endpoint a = members.get(0);
    tracker.reportUnhealthy(a, "breaker", "open");
    fail(tracker, a, 4); // calls that were in flight when the breaker opened

    tracker.reportHealthy(a, "breaker", "closed");
    fail(tracker, a, 1);

    assertThat(tracker.isAvailable(a)).isTrue();
    assertThat(tracker.snapshot().endpoints().get(0).consecutiveFailures()).isEqualTo(1);
    assertThat(tracker.effectiveWeight(a)).isLessThan(tracker.effectiveWeight(members.get(1)));
  }

  @Test
  void verdictsOnNonMembersAreIgnored() {
    start(manualTracker(ticker));
    Endpoint stranger = Endpoint.of("10.9.9.9", 80);
    tracker.reportUnhealthy(stranger, "breaker", "open");
    assertThat(tracker.isAvailable(stranger)).isTrue();
    assertThat(tracker.isOverridden(stranger, "breaker")).isFalse();
  }

  @Test
  void aVerdictEndsWhenItsEndpointLeaves() {
    start(manualTracker(ticker));
    Endpoint a = members.get(0);
    tracker.reportUnhealthy(a, "breaker", "open");
    tracker.updateMembership(members.subList(1, 4));
    tracker.updateMembership(members);
    assertThat(tracker.isAvailable(a)).isTrue();
  }

  @Test
  void blankSourceIsRejectedNamingIt() {
    start(manualTracker(ticker));
    assertThatThrownBy(() -> tracker.reportUnhealthy(members.get(0), " ", "open"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("source must not be blank, was ' '");
    assertThatThrownBy(() -> tracker.reportHealthy(members.get(0), "breaker", null))
        .isInstanceOf(NullPointerException.class).hasMessage("reason");
  }

  @Test
  void probesDownOnEveryEndpointTakeOutNoMoreThanTheBudget() {
    start(HealthTracker.builder()
        .healthCheck(endpoint -> CompletableFuture.completedFuture(false))
        .healthCheckInterval(Duration.ofMillis(20)).healthCheckTimeout(Duration.ofMillis(10)));

    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() ->
        tracker.snapshot().endpoints().stream().allMatch(EndpointHealth::probeDown));

    assertThat(members).filteredOn(tracker::isAvailable).hasSize(2);
    assertThat(tracker.snapshot().endpoints()).filteredOn(EndpointHealth::overridden).hasSize(2);
    assertThat(tracker.isPanicking()).isFalse();
  }
}
