package io.lb4j.core.internal.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.ManualTicker;
import io.lb4j.core.PickContext;
import io.lb4j.core.RandomSource;
import io.lb4j.core.Selector;
import io.lb4j.core.SelectorContract;
import io.lb4j.core.TestCandidates;
import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class LeastResponseTimeSelectorTest extends SelectorContract {
  private static final long MILLI = 1_000_000L;

  @Override
  protected Algorithm algorithm() {
    return Algorithms.leastResponseTime();
  }

  private static Candidates withTicker(List<Endpoint> endpoints, ManualTicker ticker, long seed) {
    return TestCandidates.of(endpoints, e -> LiveEndpointStats.create(ticker, Duration.ofSeconds(10)),
        Endpoint::weight, ticker, RandomSource.seeded(seed));
  }

  @Test
  void prefersTheLowerLatencyEndpoint() {
    ManualTicker ticker = new ManualTicker();
    Candidates candidates = withTicker(endpoints(List.of(1, 1)), ticker, 3);
    LiveEndpointStats.of(candidates.stats(0)).end(true, 100 * MILLI);
    LiveEndpointStats.of(candidates.stats(1)).end(true, 10 * MILLI);
    ticker.advance(Duration.ofMillis(50));
    Selector selector = algorithm().newSelector(candidates);
    for (int i = 0; i < 200; i++) {
      assertThat(selector.selectIndex(PickContext.create())).isEqualTo(1);
    }
  }

  @Test
  void fastFailuresNeverDrawMoreTrafficThanAnEqualHealthyEndpoint() {
    ManualTicker ticker = new ManualTicker();
    Candidates candidates = withTicker(endpoints(List.of(1, 1)), ticker, 3);
    LiveEndpointStats.of(candidates.stats(0)).end(true, 20 * MILLI);
    LiveEndpointStats.of(candidates.stats(1)).end(true, 20 * MILLI);
    Selector selector = algorithm().newSelector(candidates);
    // Endpoint 0 starts answering 503 in 1 ms; endpoint 1 keeps answering in 20 ms.
    for (int call = 0; call < 100; call++) {
      ticker.advance(Duration.ofMillis(10));
      LiveEndpointStats.of(candidates.stats(0)).end(false, MILLI);
      LiveEndpointStats.of(candidates.stats(1)).end(true, 20 * MILLI);
    }
    // Equal at best: ties keep the first of two distinct draws, so about half of the picks.
    int failingPicks = 0;
    for (int i = 0; i < 1_000; i++) {
      failingPicks += selector.selectIndex(PickContext.create()) == 0 ? 1 : 0;
    }
    assertThat(failingPicks).isLessThanOrEqualTo(600);
  }

  @Test
  void inFlightCallsMultiplyTheLatency() {
    ManualTicker ticker = new ManualTicker();
    Candidates candidates = withTicker(endpoints(List.of(1, 1)), ticker, 3);
    LiveEndpointStats.of(candidates.stats(0)).end(true, 20 * MILLI);
    LiveEndpointStats.of(candidates.stats(1)).end(true, 10 * MILLI);
    for (int i = 0; i < 3; i++) {
      LiveEndpointStats.of(candidates.stats(1)).start(); // 10 ms × 4 > 20 ms × 1
    }
    Selector selector = algorithm().newSelector(candidates);
    assertThat(selector.selectIndex(PickContext.create())).isEqualTo(0);
  }

  @Test
  void weightDividesTheLoad() {
    ManualTicker ticker = new ManualTicker();
    Candidates candidates = withTicker(endpoints(List.of(1, 5)), ticker, 3);
    LiveEndpointStats.of(candidates.stats(0)).end(true, 10 * MILLI);
    LiveEndpointStats.of(candidates.stats(1)).end(true, 30 * MILLI); // 30 / 5 = 6 < 10
    Selector selector = algorithm().newSelector(candidates);
    assertThat(selector.selectIndex(PickContext.create())).isEqualTo(1);
  }

  @Test
  void endpointWithoutHistoryButInFlightIsAvoided() {
    ManualTicker ticker = new ManualTicker();
    Candidates candidates = withTicker(endpoints(List.of(1, 1)), ticker, 3);
    LiveEndpointStats.of(candidates.stats(0)).end(true, 5_000 * MILLI);
    LiveEndpointStats.of(candidates.stats(1)).start();
    Selector selector = algorithm().newSelector(candidates);
    assertThat(selector.selectIndex(PickContext.create())).isEqualTo(0);
  }

  @Test
  void neverPicksTheMoreLoadedOfItsTwoDraws() {
    qt().withExamples(200)
        .forAll(lists().of(integers().between(0, 500)).ofSizeBetween(2, 25), integers().all())
        .checkAssert((latenciesMillis, seed) -> {
          ManualTicker ticker = new ManualTicker();
          int n = latenciesMillis.size();
          Candidates candidates = withTicker(endpoints(latenciesMillis.stream()
              .map(l -> 1 + l % 3).toList()), ticker, seed);
          for (int i = 0; i < n; i++) {
            if (latenciesMillis.get(i) > 0) {
              LiveEndpointStats.of(candidates.stats(i)).start();
              LiveEndpointStats.of(candidates.stats(i)).end(true, latenciesMillis.get(i) * MILLI);
            }
            if (latenciesMillis.get(i) % 4 == 1) {
              LiveEndpointStats.of(candidates.stats(i)).start();
            }
          }
          Selector selector = algorithm().newSelector(candidates);
          RandomSource replay = RandomSource.seeded(seed);
          for (int call = 0; call < 30; call++) {
            TwoDraws draws = TwoDraws.next(replay, n);
            int picked = selector.selectIndex(PickContext.create());
            assertThat(picked).isIn(draws.a(), draws.b());
            int other = draws.other(picked);
            assertThat(candidates.stats(picked).load() / candidates.weight(picked)).as("%s", draws)
                .isLessThanOrEqualTo(candidates.stats(other).load() / candidates.weight(other));
          }
        });
  }

  /** One completed call: which endpoint, the time before it ends, its latency (0 keeps no cost). */
  private record Observation(int endpoint, long advanceMillis, long latencyNanos) {}

  // Half the values come from a few small ones, so that many contests are close.
  private static final Gen<Observation> OBSERVATIONS = integers().between(0, 1).zip(
      longs().between(0, 60_000).mix(longs().between(0, 0), 50),
      longs().between(-1_000_000_000L, 5_000_000_000L)
          .mix(longs().between(1, 4).map(l -> l * 10 * MILLI), 50),
      (endpoint, advance, latency) -> new Observation(endpoint, advance, Math.max(0, latency)));

  private static Gen<List<Integer>> pairs(Gen<Integer> values) {
    return lists().of(values).ofSize(2);
  }

  @Test
  void picksWhatLoadPerWeightPicksAtTheSameNow() {
    // At most 12 × 61 s = 73 τ: decayed estimates stay far above the smallest double.
    qt().withExamples(2_000)
        .forAll(lists().of(OBSERVATIONS).ofSizeBetween(0, 12),
            pairs(integers().between(0, 300).mix(integers().between(0, 4), 50)),
            pairs(integers().between(1, Endpoint.MAX_WEIGHT).mix(integers().between(1, 4), 50)))
        .checkAssert((observations, pending, weights) -> {
          int pendingA = pending.get(0);
          int pendingB = pending.get(1);
          int weightA = weights.get(0);
          int weightB = weights.get(1);
          ManualTicker ticker = new ManualTicker();
          Candidates candidates = withTicker(endpoints(List.of(weightA, weightB)), ticker, 11);
          for (Observation observation : observations) {
            ticker.advance(Duration.ofMillis(observation.advanceMillis()));
            LiveEndpointStats.of(candidates.stats(observation.endpoint())).start();
            LiveEndpointStats.of(candidates.stats(observation.endpoint())).end(true, observation.latencyNanos());
          }
          ticker.advance(Duration.ofMillis(observations.size() * 1_000L));
          for (int i = 0; i < pendingA; i++) {
            LiveEndpointStats.of(candidates.stats(0)).start();
          }
          for (int i = 0; i < pendingB; i++) {
            LiveEndpointStats.of(candidates.stats(1)).start();
          }
          double loadA = candidates.stats(0).load() / weightA;
          double loadB = candidates.stats(1).load() / weightB;
          if (loadA + loadB > 0 && Math.abs(loadA - loadB) <= 1e-9 * Math.max(loadA, loadB)) {
            return; // a tie up to rounding, which may then decide it either way
          }
          Selector selector = algorithm().newSelector(candidates);
          RandomSource replay = RandomSource.seeded(11);
          for (int call = 0; call < 4; call++) {
            TwoDraws draws = TwoDraws.next(replay, 2);
            int expected = TwoChoices.lessLoaded(draws.a(), draws.a() == 0 ? loadA : loadB,
                draws.b(), draws.b() == 0 ? loadA : loadB);
            assertThat(selector.selectIndex(PickContext.create()))
                .as("%s, loads %s and %s", draws, loadA, loadB).isEqualTo(expected);
          }
        });
  }

  @Test
  void inFlightBeyondTheLogTableCountsAsWithinIt() {
    ManualTicker ticker = new ManualTicker();
    Candidates candidates = withTicker(endpoints(List.of(1, 1)), ticker, 3);
    LiveEndpointStats.of(candidates.stats(0)).end(true, 10 * MILLI);
    LiveEndpointStats.of(candidates.stats(1)).end(true, 29_900_000L);
    for (int i = 0; i < 300; i++) {
      LiveEndpointStats.of(candidates.stats(0)).start(); // 10 ms × 301 = 3010 ms < 29.9 ms × 101 = 3019.9 ms
    }
    for (int i = 0; i < 100; i++) {
      LiveEndpointStats.of(candidates.stats(1)).start();
    }
    Selector selector = algorithm().newSelector(candidates);
    for (int i = 0; i < 50; i++) {
      assertThat(selector.selectIndex(PickContext.create())).isEqualTo(0);
    }
  }

  @Test
  void idleEndpointWithoutHistoryBeatsAnyMeasuredOne() {
    ManualTicker ticker = new ManualTicker();
    Candidates candidates = withTicker(endpoints(List.of(1, 1)), ticker, 3);
    LiveEndpointStats.of(candidates.stats(1)).end(true, 1);
    Selector selector = algorithm().newSelector(candidates);
    for (int i = 0; i < 50; i++) {
      assertThat(selector.selectIndex(PickContext.create())).isEqualTo(0);
    }
  }

  @Test
  void amongEndpointsWithoutHistoryFewerInFlightWins() {
    ManualTicker ticker = new ManualTicker();
    Candidates candidates = withTicker(endpoints(List.of(1, 1)), ticker, 3);
    LiveEndpointStats.of(candidates.stats(0)).start();
    LiveEndpointStats.of(candidates.stats(0)).start();
    LiveEndpointStats.of(candidates.stats(1)).start();
    Selector selector = algorithm().newSelector(candidates);
    for (int i = 0; i < 50; i++) {
      assertThat(selector.selectIndex(PickContext.create())).isEqualTo(1);
    }
  }

  @Test
  void penaltyIsDividedByWeightLikeAnyLoad() {
    ManualTicker ticker = new ManualTicker();
    Candidates candidates = withTicker(endpoints(List.of(1, Endpoint.MAX_WEIGHT)), ticker, 3);
    LiveEndpointStats.of(candidates.stats(0)).start();
    LiveEndpointStats.of(candidates.stats(0)).end(true, 1_000 * MILLI);
    for (int i = 0; i < 1_000; i++) {
      LiveEndpointStats.of(candidates.stats(0)).start(); // 1 s × 1001 = 1.0e12 > 2^53 / 10 000 = 9.0e11
    }
    LiveEndpointStats.of(candidates.stats(1)).start();
    Selector selector = algorithm().newSelector(candidates);
    for (int i = 0; i < 50; i++) {
      assertThat(selector.selectIndex(PickContext.create())).isEqualTo(1);
    }
  }

  @Test
  void statsWithDifferentDecaysAreComparedAtTheTickersNow() {
    ManualTicker ticker = new ManualTicker();
    List<Endpoint> endpoints = endpoints(List.of(1, 1));
    Candidates candidates = TestCandidates.of(endpoints,
        e -> LiveEndpointStats.create(ticker, Duration.ofSeconds(e == endpoints.get(0) ? 1 : 10)),
        Endpoint::weight, ticker, RandomSource.seeded(3));
    LiveEndpointStats.of(candidates.stats(0)).end(true, 100 * MILLI);
    LiveEndpointStats.of(candidates.stats(1)).end(true, 100 * MILLI);
    // 100 ms × e^-5 = 0.7 ms against 100 ms × e^-0.5 = 61 ms; decay-free log costs would rank
    // them ln(1e8) + 1e9 / 1e9 against ln(1e8) + 1e9 / 1e10, the other way round.
    ticker.advance(Duration.ofSeconds(5));
    Selector selector = algorithm().newSelector(candidates);
    for (int i = 0; i < 50; i++) {
      assertThat(selector.selectIndex(PickContext.create())).isEqualTo(0);
    }
  }

  @Test
  void statsOnDifferentTickersAreComparedAtTheirOwnNow() {
    ManualTicker early = new ManualTicker();
    ManualTicker late = new ManualTicker().advance(Duration.ofSeconds(1_000));
    List<Endpoint> endpoints = endpoints(List.of(1, 1));
    Candidates candidates = TestCandidates.of(endpoints,
        e -> LiveEndpointStats.create(e == endpoints.get(0) ? early : late, Duration.ofSeconds(10)),
        Endpoint::weight, early, RandomSource.seeded(3));
    LiveEndpointStats.of(candidates.stats(0)).end(true, 100 * MILLI);
    LiveEndpointStats.of(candidates.stats(1)).end(true, 10 * MILLI); // its stamp alone is worth e^100
    Selector selector = algorithm().newSelector(candidates);
    for (int i = 0; i < 50; i++) {
      assertThat(selector.selectIndex(PickContext.create())).isEqualTo(1);
    }
  }

  @Test
  void decayBelowOneMillisecondIsComparedAtTheTickersNow() {
    ManualTicker ticker = new ManualTicker().advance(Duration.ofDays(36_500));
    Candidates candidates = TestCandidates.of(endpoints(List.of(1, 1)),
        e -> LiveEndpointStats.create(ticker, Duration.ofNanos(999_999)), Endpoint::weight, ticker,
        RandomSource.seeded(3));
    // stamp / τ = 3.2e12, whose ulp (4.9e-4) swallows ln(1 000 001 / 1 000 000) = 1e-6.
    LiveEndpointStats.of(candidates.stats(0)).end(true, 1_000_001);
    LiveEndpointStats.of(candidates.stats(1)).end(true, 1_000_000);
    Selector selector = algorithm().newSelector(candidates);
    for (int i = 0; i < 50; i++) {
      assertThat(selector.selectIndex(PickContext.create())).isEqualTo(1);
    }
  }
}
