package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Bad configuration fails at once, with a message naming the field, the value and the bound. */
class HealthTrackerBuilderTest {

  private static void rejects(Consumer<HealthTracker.Builder> setter, String message) {
    assertThatThrownBy(() -> setter.accept(HealthTracker.builder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void negativeThresholdsAreRejected() {
    rejects(b -> b.consecutiveFailures(-1), "consecutiveFailures must be >= 0, was -1");
    rejects(b -> b.failureRateMinRequests(0), "failureRateMinRequests must be >= 1, was 0");
    rejects(b -> b.healthyThreshold(0), "healthyThreshold must be >= 1, was 0");
    rejects(b -> b.unhealthyThreshold(-3), "unhealthyThreshold must be >= 1, was -3");
  }

  @Test
  void percentagesOutsideZeroToHundredAreRejected() {
    rejects(b -> b.failureRateThresholdPercent(101), "failureRateThresholdPercent must be in [0, 100], was 101");
    rejects(b -> b.failureRateThresholdPercent(-1), "failureRateThresholdPercent must be in [0, 100], was -1");
    rejects(b -> b.maxEjectionPercent(150), "maxEjectionPercent must be in [0, 100], was 150");
    rejects(b -> b.panicThresholdPercent(-5), "panicThresholdPercent must be in [0, 100], was -5");
    rejects(b -> b.slowStartFloorPercent(0), "slowStartFloorPercent must be in [1, 100], was 0");
    rejects(b -> b.slowStartFloorPercent(101), "slowStartFloorPercent must be in [1, 100], was 101");
    rejects(b -> b.healthCheckJitterPercent(51), "healthCheckJitterPercent must be in [0, 50], was 51");
  }

  @Test
  void zeroOrNegativeIntervalsAreRejected() {
    rejects(b -> b.refreshInterval(Duration.ZERO), "refreshInterval must be > 0, was PT0S");
    rejects(b -> b.failureRateWindow(Duration.ofSeconds(-1)), "failureRateWindow must be > 0, was PT-1S");
    rejects(b -> b.baseEjectionTime(Duration.ZERO), "baseEjectionTime must be > 0, was PT0S");
    rejects(b -> b.maxEjectionTime(Duration.ZERO), "maxEjectionTime must be > 0, was PT0S");
    rejects(b -> b.healthCheckInterval(Duration.ZERO), "healthCheckInterval must be > 0, was PT0S");
    rejects(b -> b.healthCheckTimeout(Duration.ofMillis(-1)), "healthCheckTimeout must be > 0, was PT-0.001S");
    rejects(b -> b.slowStartWindow(Duration.ofSeconds(-2)), "slowStartWindow must be >= 0, was PT-2S");
  }

  @Test
  void probeTimeoutMustBeShorterThanTheInterval() {
    rejects(b -> b.healthCheckInterval(Duration.ofSeconds(1)).healthCheckTimeout(Duration.ofSeconds(1)).build(),
        "healthCheckTimeout must be < healthCheckInterval (PT1S), was PT1S");
  }

  @Test
  void maxEjectionTimeMustCoverTheBase() {
    rejects(b -> b.baseEjectionTime(Duration.ofSeconds(60)).maxEjectionTime(Duration.ofSeconds(30)).build(),
        "maxEjectionTime must be >= baseEjectionTime (PT1M), was PT30S");
  }

  @Test
  void missingValuesAreNamed() {
    assertThatThrownBy(() -> HealthTracker.builder().ticker(null))
        .isInstanceOf(NullPointerException.class).hasMessage("ticker");
    assertThatThrownBy(() -> HealthTracker.builder().healthCheck(null))
        .isInstanceOf(NullPointerException.class).hasMessage("healthCheck");
    assertThatThrownBy(() -> HealthTracker.builder().baseEjectionTime(null))
        .isInstanceOf(NullPointerException.class).hasMessage("baseEjectionTime");
    assertThatThrownBy(() -> HealthTracker.builder().scheduler(null))
        .isInstanceOf(NullPointerException.class).hasMessage("scheduler");
  }

  @Test
  void loadBalancerZoneOptionsAreValidated() {
    LoadBalancer.Builder builder = LoadBalancer.builder(ServerList.of(Endpoint.of("h", 1)));
    assertThatThrownBy(() -> builder.localZoneMinHealthyPercent(101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("localZoneMinHealthyPercent must be in [0, 100], was 101");
    assertThatThrownBy(() -> builder.localZoneMinHealthy(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("localZoneMinHealthy must be >= 1, was 0");
    assertThatThrownBy(() -> builder.localZone(null))
        .isInstanceOf(NullPointerException.class).hasMessage("localZone");
  }
}
