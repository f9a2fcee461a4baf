package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.endpoints;
import static io.lb4j.core.HealthFixtures.fail;
import static io.lb4j.core.HealthFixtures.manualTracker;
import static io.lb4j.core.SlowStartAffinityTest.owners;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hash and load-aware algorithm behind a balancer with the tracker's defaults (outlier
 * detection, slow start, panic), through an ejection and a return: load-aware algorithms keep
 * traffic off the ejected endpoint and ramp it back; hash algorithms give every key back to its
 * owner the moment it returns, and keep it there through the ramp.
 */
class AlgorithmsWithDefaultsTest {
  private final ManualTicker ticker = new ManualTicker();

  static Stream<Arguments> loadAware() {
    return Stream.of(
        Arguments.of("least-response-time", (Supplier<Algorithm>) Algorithms::leastResponseTime),
        Arguments.of("power-of-two-choices", (Supplier<Algorithm>) Algorithms::powerOfTwoChoices),
        Arguments.of("least-connections", (Supplier<Algorithm>) Algorithms::leastConnections),
        Arguments.of("weighted-random", (Supplier<Algorithm>) Algorithms::weightedRandom),
        Arguments.of("smooth-weighted-round-robin",
            (Supplier<Algorithm>) Algorithms::smoothWeightedRoundRobin),
        Arguments.of("response-time-weighted",
            (Supplier<Algorithm>) Algorithms::responseTimeWeighted));
  }

  static Stream<Arguments> hashing() {
    return Stream.of(
        Arguments.of("ring-hash", (Supplier<Algorithm>) Algorithms::ringHash),
        Arguments.of("bounded-load-hash", (Supplier<Algorithm>) Algorithms::boundedLoadHash),
        Arguments.of("maglev", (Supplier<Algorithm>) Algorithms::maglev),
        Arguments.of("rendezvous", (Supplier<Algorithm>) Algorithms::rendezvous),
        Arguments.of("hash-modulo", (Supplier<Algorithm>) Algorithms::hashModulo));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loadAware")
  void anEjectedEndpointGetsNothingThenRampsBackToItsShare(String name, Supplier<Algorithm> algorithm) {
    List<Endpoint> members = endpoints(5);
    Endpoint flaky = members.get(0);
    try (HealthTracker tracker = manualTracker(ticker).build();
        LoadBalancer lb = LoadBalancer.builder(ServerList.of(members)).algorithm(algorithm.get())
            .healthTracker(tracker).ticker(ticker).build()) {
      assertThat(lb.algorithm().rampsWeights()).isTrue();
      fail(tracker, flaky, 5);
      assertThat(shareOf(flaky, lb, 2_000)).as("share while ejected").isZero();

      ticker.advance(Duration.ofSeconds(30));
      tracker.refresh();
      assertThat(shareOf(flaky, lb, 2_000)).as("share at the start of its ramp")
          .isGreaterThan(0).isLessThan(0.1);

      ticker.advance(Duration.ofSeconds(31));
      tracker.refresh();
      assertThat(shareOf(flaky, lb, 5_000)).as("share once ramped").isGreaterThan(0.15);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hashing")
  void everyKeyGoesBackToItsOwnerWhenAnEjectedEndpointReturnsAndStaysThroughTheRamp(
      String name, Supplier<Algorithm> algorithm) {
    List<Endpoint> members = endpoints(10);
    Endpoint flaky = members.get(3);
    try (HealthTracker tracker = manualTracker(ticker).build();
        LoadBalancer lb = LoadBalancer.builder(ServerList.of(members)).algorithm(algorithm.get())
            .healthTracker(tracker).ticker(ticker).build()) {
      assertThat(lb.algorithm().rampsWeights()).isFalse();
      Endpoint[] before = owners(lb);

      fail(tracker, flaky, 5);
      assertThat(owners(lb)).doesNotContain(flaky);

      ticker.advance(Duration.ofSeconds(30));
      tracker.refresh();
      assertThat(tracker.snapshot().endpoints().get(3).effectiveWeight())
          .as("ramping").isLessThan(tracker.snapshot().endpoints().get(0).effectiveWeight());
      assertThat(owners(lb)).isEqualTo(before);

      ticker.advance(Duration.ofSeconds(31));
      tracker.refresh();
      assertThat(owners(lb)).isEqualTo(before);
    }
  }

  /**
   * The share of {@code picks} that go to {@code endpoint}, with 60 calls kept in flight (so that
   * load-per-weight rules see load) and each completing successfully in 1 ms.
   */
  private double shareOf(Endpoint endpoint, LoadBalancer lb, int picks) {
    ArrayDeque<Pick> inFlight = new ArrayDeque<>();
    int hits = 0;
    for (int i = 0; i < picks; i++) {
      ticker.advance(Duration.ofMillis(1));
      if (inFlight.size() == 60) {
        inFlight.removeFirst().complete(true, 1_000_000);
      }
      Pick pick = lb.pick();
      hits += pick.endpoint().equals(endpoint) ? 1 : 0;
      inFlight.addLast(pick);
    }
    inFlight.forEach(Pick::cancel);
    return (double) hits / picks;
  }
}
