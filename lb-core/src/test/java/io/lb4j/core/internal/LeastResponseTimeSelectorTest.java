package io.lb4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointStats;
import io.lb4j.core.ManualTicker;
import io.lb4j.core.PickContext;
import io.lb4j.core.RandomSource;
import io.lb4j.core.Selector;
import io.lb4j.core.SelectorContract;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeastResponseTimeSelectorTest extends SelectorContract {
  private static final long MILLI = 1_000_000L;

  @Override
  protected Algorithm algorithm() {
    return Algorithms.leastResponseTime();
  }

  private static Candidates withTicker(List<Endpoint> endpoints, ManualTicker ticker, long seed) {
    return Candidates.of(endpoints, e -> EndpointStats.create(ticker, Duration.ofSeconds(10)),
        Endpoint::weight, ticker, RandomSource.seeded(seed));
  }

  @Test
  void prefersTheLowerLatencyEndpoint() {
    ManualTicker ticker = new ManualTicker();
    Candidates candidates = withTicker(endpoints(List.of(1, 1)), ticker, 3);
    candidates.stats(0).end(true, 100 * MILLI);
    candidates.stats(1).end(true, 10 * MILLI);
    ticker.advance(Duration.ofMillis(50));
    Selector selector = algorithm().newSelector(candidates);
    for (int i = 0; i < 200; i++) {
      assertThat(selector.selectIndex(PickContext.create())).isEqualTo(1);
    }
  }

  @Test
  void inFlightCallsMultiplyTheLatency() {
    ManualTicker ticker = new ManualTicker();
    Candidates candidates = withTicker(endpoints(List.of(1, 1)), ticker, 3);
    candidates.stats(0).end(true, 20 * MILLI);
    candidates.stats(1).end(true, 10 * MILLI);
    for (int i = 0; i < 3; i++) {
      candidates.stats(1).start(); // 10 ms × 4 > 20 ms × 1
    }
    Selector selector = algorithm().newSelector(candidates);
    assertThat(selector.selectIndex(PickContext.create())).isEqualTo(0);
  }

  @Test
  void weightDividesTheLoad() {
    ManualTicker ticker = new ManualTicker();
    Candidates candidates = withTicker(endpoints(List.of(1, 5)), ticker, 3);
    candidates.stats(0).end(true, 10 * MILLI);
    candidates.stats(1).end(true, 30 * MILLI); // 30 / 5 = 6 < 10
    Selector selector = algorithm().newSelector(candidates);
    assertThat(selector.selectIndex(PickContext.create())).isEqualTo(1);
  }

  @Test
  void endpointWithoutHistoryButInFlightIsAvoided() {
    ManualTicker ticker = new ManualTicker();
    Candidates candidates = withTicker(endpoints(List.of(1, 1)), ticker, 3);
    candidates.stats(0).end(true, 5_000 * MILLI);
    candidates.stats(1).start();
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
              candidates.stats(i).start();
              candidates.stats(i).end(true, latenciesMillis.get(i) * MILLI);
            }
            if (latenciesMillis.get(i) % 4 == 1) {
              candidates.stats(i).start();
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
}
