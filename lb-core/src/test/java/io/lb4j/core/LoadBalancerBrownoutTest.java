package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.endpoints;
import static io.lb4j.core.HealthFixtures.manualTracker;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A fleet-wide brownout: every endpoint fails 60% of its calls for 20 s. With the defaults
 * (outlier detection, slow start, panic) plus a circuit-breaker-like detector reporting soft
 * verdicts, picks never stop, callers fail no more often than the backends do, and the failure
 * rate drops as soon as the backends recover. Simulated time: 1 call per millisecond.
 */
class LoadBalancerBrownoutTest {
  private static final double BACKEND_FAILURE_RATE = 0.6;
  private final ManualTicker ticker = new ManualTicker();
  private final SplittableRandom random = new SplittableRandom(42);

  /** Resilience4j's default-shaped breaker: 50% of the last 20 calls (10 at least), 10 s open. */
  private static final class SimulatedBreaker {
    private final ArrayDeque<Boolean> window = new ArrayDeque<>();
    private long openUntil = Long.MIN_VALUE;
    private int openings;

    boolean record(boolean success, long now) {
      window.addLast(success);
      if (window.size() > 20) {
        window.removeFirst();
      }
      long failures = window.stream().filter(ok -> !ok).count();
      if (openUntil == Long.MIN_VALUE && window.size() >= 10 && failures * 2 >= window.size()) {
        openUntil = now + Duration.ofSeconds(10).toNanos();
        openings++;
        window.clear();
        return true;
      }
      return false;
    }
  }

  @ParameterizedTest(name = "{0} endpoints")
  @ValueSource(ints = {3, 10})
  void picksNeverStopAndCallersFailNoMoreThanTheBackendsDo(int size) {
    List<Endpoint> members = endpoints(size);
    Map<Endpoint, SimulatedBreaker> breakers = new HashMap<>();
    members.forEach(member -> breakers.put(member, new SimulatedBreaker()));
    try (HealthTracker tracker = manualTracker(ticker).build();
        LoadBalancer lb = LoadBalancer.builder(ServerList.of(members))
            .healthTracker(tracker).ticker(ticker).build()) {
      double brownout = run(lb, tracker, breakers, Duration.ofSeconds(20), BACKEND_FAILURE_RATE);
      assertThat(brownout).as("caller-visible failure rate during the brownout")
          .isLessThanOrEqualTo(BACKEND_FAILURE_RATE + 0.02);
      assertThat(breakers.values()).as("detectors fired on more endpoints than the budget allows")
          .filteredOn(breaker -> breaker.openings > 0).hasSizeGreaterThan(size / 2);

      assertThat(run(lb, tracker, breakers, Duration.ofSeconds(1), 0)).isZero();
      assertThat(run(lb, tracker, breakers, Duration.ofSeconds(2), 0)).isZero();
    }
  }

  /** Sends one call per simulated millisecond; returns the share that failed. */
  private double run(LoadBalancer lb, HealthTracker tracker, Map<Endpoint, SimulatedBreaker> breakers,
      Duration duration, double failureRate) {
    long calls = duration.toMillis();
    long failures = 0;
    for (long i = 0; i < calls; i++) {
      ticker.advance(Duration.ofMillis(1));
      if (i % 1000 == 0) {
        tracker.refresh();
        closeExpired(tracker, breakers);
      }
      Pick pick = lb.pick(); // throws NoEndpointAvailableException if the brownout became an outage
      boolean success = random.nextDouble() >= failureRate;
      pick.complete(success, 1_000_000);
      failures += success ? 0 : 1;
      if (breakers.get(pick.endpoint()).record(success, ticker.read())) {
        tracker.reportUnhealthy(pick.endpoint(), "breaker", "circuit breaker open");
      }
    }
    return (double) failures / calls;
  }

  private void closeExpired(HealthTracker tracker, Map<Endpoint, SimulatedBreaker> breakers) {
    breakers.forEach((endpoint, breaker) -> {
      if (breaker.openUntil != Long.MIN_VALUE && ticker.read() >= breaker.openUntil) {
        breaker.openUntil = Long.MIN_VALUE;
        tracker.reportHealthy(endpoint, "breaker", "circuit breaker half-open");
      }
    });
  }
}
