package io.lb4j.core.internal.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.ManualTicker;
import io.lb4j.core.MutableServerList;
import io.lb4j.core.Pick;
import io.lb4j.core.PickContext;
import io.lb4j.core.RandomSource;
import io.lb4j.core.SelectorContract;
import io.lb4j.core.TestCandidates;
import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResponseTimeWeightedSelectorTest extends SelectorContract {
  private static final long MILLI = 1_000_000L;
  private static final Duration PERIOD = Duration.ofSeconds(1);

  private final ManualTicker ticker = new ManualTicker();

  @Override
  protected Algorithm algorithm() {
    return Algorithms.responseTimeWeighted();
  }

  private Candidates withTicker(List<Integer> weights, long seed) {
    return TestCandidates.of(endpoints(weights),
        e -> LiveEndpointStats.create(ticker, Duration.ofSeconds(10)), Endpoint::weight, ticker,
        RandomSource.seeded(seed));
  }

  private ResponseTimeWeightedSelector selector(Candidates candidates) {
    return (ResponseTimeWeightedSelector) Algorithms.responseTimeWeighted(PERIOD).newSelector(candidates);
  }

  private static void record(Candidates candidates, int index, boolean success, long latencyMillis) {
    LiveEndpointStats.of(candidates.stats(index)).start();
    LiveEndpointStats.of(candidates.stats(index)).end(success, latencyMillis * MILLI);
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  @Test
  void withoutDataTheConfiguredWeightsApply() {
    ResponseTimeWeightedSelector selector = selector(withTicker(List.of(1, 3), 1));
    assertThat(selector.currentWeights()).containsExactly(1.0, 3.0);
  }

  @Test
  void slowEndpointGetsLessTrafficButNeverZero() {
    Candidates candidates = withTicker(List.of(1, 1, 1), 9);
    ResponseTimeWeightedSelector selector = selector(candidates);
    record(candidates, 0, true, 10);
    record(candidates, 1, true, 10);
    record(candidates, 2, true, 1_000);
    ticker.advance(PERIOD);

    int picks = 50_000;
    int[] counts = countPicks(selector, picks);
    double[] weights = selector.currentWeights();
    // Raw: 1/10 ms, 1/10 ms, 1/1000 ms, the latencies as observed (no decay since); the slow one
    // is raised to the floor, a tenth of the mean.
    double rawMean = (2 / (10.0 * MILLI) + 1 / (1000.0 * MILLI)) / 3;
    assertThat(weights[2]).isCloseTo(ResponseTimeWeightedSelector.FLOOR_FRACTION * rawMean, within(1e-15));
    double slowShare = weights[2] / (weights[0] + weights[1] + weights[2]);
    double sigma = Math.sqrt(picks * slowShare * (1 - slowShare));
    assertThat(counts[2]).isPositive();
    assertThat((double) counts[2]).isCloseTo(picks * slowShare, within(5 * sigma));
    assertThat(counts[2]).isLessThan(counts[0] / 5).isLessThan(counts[1] / 5);
  }

  @Test
  void recomputesOnlyAfterThePeriod() {
    Candidates candidates = withTicker(List.of(1, 1), 2);
    ResponseTimeWeightedSelector selector = selector(candidates);
    record(candidates, 0, true, 10);
    record(candidates, 1, true, 40);

    ticker.advance(PERIOD.minusNanos(1));
    selector.selectIndex(PickContext.create());
    assertThat(selector.currentWeights()).containsExactly(1.0, 1.0);

    ticker.advance(Duration.ofNanos(1));
    selector.selectIndex(PickContext.create());
    double[] weights = selector.currentWeights();
    assertThat(weights[0] / weights[1]).isCloseTo(4.0, within(1e-9));

    record(candidates, 1, true, 1);
    ticker.advance(PERIOD.minusNanos(1));
    selector.selectIndex(PickContext.create());
    assertThat(selector.currentWeights()).containsExactly(weights);
  }

  @Test
  void endpointWithoutDataGetsTheMeanSpeedTimesItsWeight() {
    Candidates candidates = withTicker(List.of(1, 1, 2), 2);
    ResponseTimeWeightedSelector selector = selector(candidates);
    record(candidates, 0, true, 10);
    record(candidates, 1, true, 20);
    ticker.advance(PERIOD);
    selector.selectIndex(PickContext.create());

    double[] weights = selector.currentWeights();
    assertThat(weights[2]).isCloseTo(2 * (weights[0] + weights[1]) / 2, within(1e-15));
  }

  @Test
  void failuresInThePeriodLowerTheWeightAndSuccessesLaterRestoreIt() {
    Candidates candidates = withTicker(List.of(1, 1), 2);
    ResponseTimeWeightedSelector selector = selector(candidates);
    record(candidates, 0, true, 10);
    record(candidates, 1, true, 10);
    record(candidates, 1, false, 10);
    record(candidates, 1, false, 10);
    record(candidates, 1, false, 10);
    ticker.advance(PERIOD);
    selector.selectIndex(PickContext.create());
    double[] failing = selector.currentWeights();
    assertThat(failing[1] / failing[0]).isCloseTo(0.25, within(1e-9));

    record(candidates, 0, true, 10);
    record(candidates, 1, true, 10);
    ticker.advance(PERIOD);
    selector.selectIndex(PickContext.create());
    double[] recovered = selector.currentWeights();
    assertThat(recovered[1] / recovered[0]).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void endpointFailingEverythingKeepsTheFloorWeight() {
    Candidates candidates = withTicker(List.of(1, 1, 1, 1), 2);
    ResponseTimeWeightedSelector selector = selector(candidates);
    for (int i = 0; i < 3; i++) {
      record(candidates, i, true, 10);
    }
    record(candidates, 3, false, 10);
    ticker.advance(PERIOD);
    selector.selectIndex(PickContext.create());

    double[] weights = selector.currentWeights();
    assertThat(weights[3]).isPositive();
    assertThat(weights[3]).isCloseTo(ResponseTimeWeightedSelector.FLOOR_FRACTION * (weights[0] * 3 / 4),
        within(1e-15));
  }

  @Test
  void allEndpointsFailingFallsBackToConfiguredWeights() {
    Candidates candidates = withTicker(List.of(2, 1), 2);
    ResponseTimeWeightedSelector selector = selector(candidates);
    record(candidates, 0, false, 10);
    record(candidates, 1, false, 30);
    ticker.advance(PERIOD);
    selector.selectIndex(PickContext.create());
    assertThat(selector.currentWeights()).containsExactly(2.0, 1.0);
  }

  @Test
  void concurrentPicksAcrossRecomputesStayValid() throws Exception {
    Candidates candidates = withTicker(List.of(1, 2, 3, 4), 2);
    ResponseTimeWeightedSelector selector = selector(candidates);
    int threads = 6;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger bad = new AtomicInteger();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int call = 0; call < 20_000; call++) {
            int index = selector.selectIndex(PickContext.create());
            if (index < 0 || index >= 4) {
              bad.incrementAndGet();
            }
            record(candidates, index, call % 7 != 0, 1 + index * 5L);
            if (thread == 0 && call % 100 == 0) {
              ticker.advance(PERIOD);
            }
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(bad).hasValue(0);
    // Slower endpoints (higher index) ended with lower weights per unit of configured weight.
    double[] weights = selector.currentWeights();
    assertThat(weights[0] / 1).isGreaterThan(weights[3] / 4);
  }

  @Test
  void picksKeepWorkingAfterAnIdleNightAndNeverThrowAnythingButNoEndpointAvailable() {
    Candidates candidates = withTicker(List.of(1, 1, 1), 3);
    ResponseTimeWeightedSelector selector = selector(candidates);
    for (int call = 0; call < 30; call++) {
      record(candidates, call % 3, true, 5 + call % 3);
    }
    ticker.advance(Duration.ofSeconds(7_300));
    for (int call = 0; call < 100; call++) {
      assertThat(selector.selectIndex(PickContext.create())).isBetween(0, 2);
    }
    assertThat(java.util.Arrays.stream(selector.currentWeights()).boxed()).allSatisfy(w -> assertThat(w).isFinite().isPositive());
  }

  @Test
  void aDefaultBalancerKeepsPickingAfterAnIdleNight() {
    List<Endpoint> endpoints = endpoints(List.of(1, 1, 1));
    try (LoadBalancer lb = LoadBalancer.builder(MutableServerList.of(endpoints))
        .algorithm(Algorithms.responseTimeWeighted()).ticker(ticker).build()) {
      for (int call = 0; call < 30; call++) {
        try (Pick pick = lb.pick()) {
          pick.complete(true, (5 + call % 3) * MILLI);
        }
      }
      ticker.advance(Duration.ofSeconds(7_300));
      for (int call = 0; call < 30; call++) {
        try (Pick pick = lb.pick()) {
          assertThat(endpoints).contains(pick.endpoint());
          pick.complete(true, 5 * MILLI);
        }
      }
    }
  }

  @Test
  void zeroLatencyCompletionsAfterALullNeverBreakTheTable() {
    Candidates candidates = withTicker(List.of(1, 1), 4);
    ResponseTimeWeightedSelector selector = selector(candidates);
    record(candidates, 0, true, 10);
    record(candidates, 1, true, 10);
    ticker.advance(Duration.ofSeconds(7_300));
    // A lower observation after 730 τ leaves a subnormal estimate, whose inverse overflows.
    LiveEndpointStats.of(candidates.stats(0)).start();
    LiveEndpointStats.of(candidates.stats(0)).end(true, 0);
    ticker.advance(PERIOD);
    for (int call = 0; call < 100; call++) {
      assertThat(selector.selectIndex(PickContext.create())).isBetween(0, 1);
    }
    assertThat(java.util.Arrays.stream(selector.currentWeights()).boxed()).allSatisfy(w -> assertThat(w).isFinite().isPositive());
  }

  @Test
  void weightsAfterALullFollowSpeedNotHowLongAgoEachEndpointLastAnswered() {
    Candidates candidates = withTicker(List.of(1, 1, 1), 5);
    ResponseTimeWeightedSelector selector = selector(candidates);
    record(candidates, 0, true, 10);
    ticker.advance(Duration.ofSeconds(30));
    record(candidates, 1, true, 10);
    record(candidates, 2, true, 20);
    ticker.advance(Duration.ofSeconds(600));
    selector.selectIndex(PickContext.create());

    double[] weights = selector.currentWeights();
    assertThat(weights[0] / weights[1]).isCloseTo(1.0, within(1e-9));
    assertThat(weights[1] / weights[2]).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void recomputePeriodMustBePositive() {
    assertThatThrownBy(() -> Algorithms.responseTimeWeighted(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("recomputePeriod must be > 0, was PT0S");
    assertThatThrownBy(() -> Algorithms.responseTimeWeighted(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("recomputePeriod must be > 0, was PT-0.005S");
    assertThatThrownBy(() -> Algorithms.responseTimeWeighted(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("recomputePeriod");
  }
}
