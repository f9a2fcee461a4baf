package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.endpoints;
import static io.lb4j.core.HealthFixtures.fail;
import static io.lb4j.core.HealthFixtures.manualTracker;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Slow start: endpoints that join or come back ramp their weight from the floor in steps. */
class HealthTrackerSlowStartTest {
  private final ManualTicker ticker = new ManualTicker();
  private final List<Endpoint> initial = endpoints(3);
  private final Endpoint newcomer = Endpoint.of("10.0.1.1", 8080);
  private HealthTracker tracker;

  @AfterEach
  void close() {
    tracker.close();
  }

  private List<Endpoint> withNewcomer() {
    List<Endpoint> next = new ArrayList<>(initial);
    next.add(newcomer);
    return next;
  }

  @Test
  void membersPresentAtStartupStartAtFullWeight() {
    tracker = manualTracker(ticker).build();
    tracker.updateMembership(initial);
    for (Endpoint endpoint : initial) {
      assertThat(tracker.effectiveWeight(endpoint)).isEqualTo(1);
    }
  }

  @Test
  void aNewcomerRampsFromTenPercentInTenStepsOverThirtySeconds() {
    tracker = manualTracker(ticker).build();
    tracker.updateMembership(initial);
    tracker.updateMembership(withNewcomer());

    // Weights are scaled by 10 while a member ramps: peers carry 10, the newcomer 1 -> 10.
    assertThat(tracker.effectiveWeight(initial.get(0))).isEqualTo(10);
    assertThat(weightAfter(Duration.ZERO)).isEqualTo(1);
    assertThat(weightAfter(Duration.ofMillis(2_999))).as("still step 0").isEqualTo(1);
    assertThat(weightAfter(Duration.ofMillis(1))).as("3 s: step 1 = 19%").isEqualTo(2);
    assertThat(weightAfter(Duration.ofSeconds(12))).as("15 s: step 5 = 55%").isEqualTo(6);
    assertThat(weightAfter(Duration.ofSeconds(12))).as("27 s: step 9 = 91%").isEqualTo(9);
    assertThat(weightAfter(Duration.ofSeconds(3))).as("30 s: done, scale back to 1").isEqualTo(1);
    assertThat(tracker.effectiveWeight(initial.get(0))).isEqualTo(1);
  }

  @Test
  void heavyEndpointsRampInProportionToTheirWeight() {
    Endpoint heavy = Endpoint.builder("10.0.2.1", 8080).weight(40).build();
    tracker = manualTracker(ticker).slowStartFloorPercent(25).build();
    tracker.updateMembership(initial);
    List<Endpoint> next = new ArrayList<>(initial);
    next.add(heavy);
    tracker.updateMembership(next);

    assertThat(tracker.effectiveWeight(heavy)).isEqualTo(100); // 40 x 10 x 25%
    ticker.advance(Duration.ofSeconds(15));
    tracker.refresh();
    assertThat(tracker.effectiveWeight(heavy)).isEqualTo(250); // 400 x (25% + 75% x 5/10)
  }

  @Test
  void scaleShrinksSoScaledWeightsStayWithinTheMaximum() {
    Endpoint huge = Endpoint.builder("10.0.3.1", 8080).weight(5_000).build();
    tracker = manualTracker(ticker).build();
    List<Endpoint> start = new ArrayList<>(initial);
    start.add(huge);
    tracker.updateMembership(start);
    List<Endpoint> next = new ArrayList<>(start);
    next.add(newcomer);
    tracker.updateMembership(next);

    assertThat(tracker.effectiveWeight(huge)).isEqualTo(Endpoint.MAX_WEIGHT);
    assertThat(tracker.effectiveWeight(newcomer)).isEqualTo(1);
  }

  @Test
  void eachStepPublishesOneChangeAndQuietTicksPublishNothing() {
    tracker = manualTracker(ticker).build();
    tracker.updateMembership(initial);
    tracker.updateMembership(withNewcomer());
    AtomicInteger changes = new AtomicInteger();
    tracker.subscribe(changes::incrementAndGet);

    for (int second = 1; second <= 40; second++) {
      ticker.advance(Duration.ofSeconds(1));
      tracker.refresh();
    }
    assertThat(changes).as("9 steps, then the end of the ramp").hasValue(10);
  }

  @Test
  void anEndpointReturningFromEjectionRamps() {
    tracker = manualTracker(ticker).build();
    tracker.updateMembership(initial);
    Endpoint a = initial.get(0);
    fail(tracker, a, 5);
    ticker.advance(Duration.ofSeconds(30));
    tracker.refresh();

    assertThat(tracker.effectiveWeight(a)).isEqualTo(1);
    assertThat(tracker.effectiveWeight(initial.get(1))).isEqualTo(10);
    assertThat(tracker.snapshot().endpoints().get(0).effectiveWeight()).isEqualTo(1);
  }

  @Test
  void anEndpointMarkedAvailableAgainRamps() {
    tracker = manualTracker(ticker).build();
    tracker.updateMembership(initial);
    Endpoint a = initial.get(0);
    tracker.markUnavailable(a, "operator", "breaker open");
    tracker.markAvailable(a, "operator", "breaker closed");
    assertThat(tracker.effectiveWeight(a)).isEqualTo(1);
    assertThat(tracker.effectiveWeight(initial.get(1))).isEqualTo(10);
  }

  @Test
  void disabledSlowStartKeepsFullWeight() {
    tracker = manualTracker(ticker).slowStartWindow(Duration.ZERO).build();
    tracker.updateMembership(initial);
    tracker.updateMembership(withNewcomer());
    assertThat(tracker.effectiveWeight(newcomer)).isEqualTo(1);
    assertThat(tracker.effectiveWeight(initial.get(0))).isEqualTo(1);
  }

  private int weightAfter(Duration elapsed) {
    ticker.advance(elapsed);
    tracker.refresh();
    return tracker.effectiveWeight(newcomer);
  }
}
