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
import io.lb4j.core.PickContext;
import io.lb4j.core.RandomSource;
import io.lb4j.core.Selector;
import io.lb4j.core.SelectorContract;
import io.lb4j.core.TestCandidates;
import io.lb4j.core.Ticker;
import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LeastConnectionsSelectorTest extends SelectorContract {

  @Override
  protected Algorithm algorithm() {
    return Algorithms.leastConnections();
  }

  private static double load(Candidates candidates, int i) {
    return (candidates.stats(i).inFlight() + 1.0) / candidates.weight(i);
  }

  @Test
  void alwaysPicksAMinimumOfInFlightPerWeightAmongAllowed() {
    qt().withExamples(300)
        .forAll(lists().of(integers().between(0, 6)).ofSizeBetween(1, 30), integers().all(),
            integers().between(0, 1 << 20))
        .checkAssert((inFlight, seed, mask) -> {
          List<Integer> weights = inFlight.stream().map(f -> 1 + (f * 3) % 4).toList();
          List<Endpoint> endpoints = endpoints(weights);
          Candidates candidates = candidates(endpoints, seed);
          Selector selector = algorithm().newSelector(candidates);
          PickContext context = PickContext.create();
          for (int i = 0; i < inFlight.size() - 1; i++) {
            if ((mask >>> (i % 20) & 1) == 1) {
              context.exclude(endpoints.get(i));
            }
          }
          for (int call = 0; call < 40; call++) {
            int picked = selector.selectIndex(context);
            for (int i = 0; i < inFlight.size(); i++) {
              if (!context.isExcluded(endpoints.get(i))) {
                assertThat(load(candidates, picked)).isLessThanOrEqualTo(load(candidates, i));
              }
            }
            // Calls stay in flight, so the loads move and later picks see them.
            LiveEndpointStats.of(candidates.stats(picked)).start();
          }
        });
  }

  @Test
  void tiesAreBrokenUniformlyAtRandom() {
    Candidates candidates = candidates(endpoints(List.of(1, 1, 1, 1)), 31);
    Selector selector = algorithm().newSelector(candidates);
    assertEvenWithinFiveSigma(countPicks(selector, 40_000), 40_000);
  }

  @Test
  void idleHeavierEndpointWinsOverIdleLighterOne() {
    Candidates candidates = candidates(endpoints(List.of(1, 2)), 3);
    Selector selector = algorithm().newSelector(candidates);
    for (int i = 0; i < 50; i++) {
      assertThat(selector.selectIndex(PickContext.create())).isEqualTo(1);
    }
  }

  @Test
  void inFlightCallsSpreadInProportionToWeight() {
    Candidates candidates = candidates(endpoints(List.of(1, 3)), 3);
    Selector selector = algorithm().newSelector(candidates);
    for (int i = 0; i < 400; i++) {
      LiveEndpointStats.of(candidates.stats(selector.selectIndex(PickContext.create()))).start();
    }
    assertThat(candidates.stats(0).inFlight()).isBetween(99, 101);
    assertThat(candidates.stats(1).inFlight()).isBetween(299, 301);
  }

  /** The indexes of least load by a full scan of the live counts: the reference answer. */
  /** 40 picks per minimum: missing one has probability below m × e^-40. */
  private static void assertPicksReachExactlyTheMinima(Selector selector, Candidates candidates) {
    Set<Integer> minima = minimaByScan(candidates);
    Set<Integer> picked = new TreeSet<>();
    for (int call = 0; call < 40 * minima.size(); call++) {
      picked.add(selector.selectIndex(PickContext.create()));
    }
    assertThat(picked).isEqualTo(minima);
  }

  private static Set<Integer> minimaByScan(Candidates candidates) {
    Set<Integer> minima = new TreeSet<>();
    long bestLoad = 0;
    long bestWeight = 1;
    for (int i = 0; i < candidates.size(); i++) {
      long load = candidates.stats(i).inFlight() + 1L;
      long weight = candidates.weight(i);
      long cmp = minima.isEmpty() ? -1 : Long.compare(load * bestWeight, bestLoad * weight);
      if (cmp < 0) {
        minima.clear();
        bestLoad = load;
        bestWeight = weight;
      }
      if (cmp <= 0) {
        minima.add(i);
      }
    }
    return minima;
  }

  /**
   * Moves in-flight counts after the selector is built (so its index must follow them): candidate i
   * ends with {@code inFlight.get(i)} in flight, reached by going {@code overshoot} above and back.
   */
  private static void driveInFlight(Candidates candidates, List<Integer> inFlight, int overshoot) {
    for (int i = 0; i < inFlight.size(); i++) {
      for (int k = 0; k < inFlight.get(i) + overshoot; k++) {
        LiveEndpointStats.of(candidates.stats(i)).start();
      }
      for (int k = 0; k < overshoot; k++) {
        LiveEndpointStats.of(candidates.stats(i)).abandon();
      }
    }
  }

  @Test
  void picksATrueMinimumAgreeingWithAFullScanAsCountsMove() {
    qt().withExamples(200)
        .forAll(lists().of(integers().between(0, 5)).ofSizeBetween(1, 300),
            integers().between(1, 4), integers().between(1, 10_000), longs().all())
        .checkAssert((inFlight, weightSpread, maxWeight, seed) -> {
          List<Integer> weights = new ArrayList<>();
          for (int i = 0; i < inFlight.size(); i++) {
            weights.add(weightSpread == 1 ? 1 : Math.max(1, maxWeight - (i * 7) % weightSpread));
          }
          Candidates candidates = candidates(endpoints(weights), seed);
          Selector selector = algorithm().newSelector(candidates);
          driveInFlight(candidates, inFlight, 1 + (int) (seed & 3));
          for (int call = 0; call < 60; call++) {
            int picked = selector.selectIndex(PickContext.create());
            assertThat(minimaByScan(candidates)).contains(picked);
            // Starting and sometimes ending calls moves the loads the next picks must follow.
            LiveEndpointStats.of(candidates.stats(picked)).start();
            if (call % 3 == 2) {
              LiveEndpointStats.of(candidates.stats((int) Long.remainderUnsigned(seed + call, inFlight.size())))
                  .abandon();
            }
          }
        });
  }

  @Test
  void tiesAreBrokenAmongAllMinima() {
    qt().withExamples(100)
        .forAll(lists().of(integers().between(0, 2)).ofSizeBetween(2, 120), longs().all())
        .checkAssert((inFlight, seed) -> {
          List<Integer> weights = inFlight.stream().map(f -> 1).toList();
          Candidates candidates = candidates(endpoints(weights), seed);
          Selector selector = algorithm().newSelector(candidates);
          driveInFlight(candidates, inFlight, 2);
          assertPicksReachExactlyTheMinima(selector, candidates);
        });
  }

  @Test
  void tiesAmongMinimaAreUniformInALargeFleet() {
    List<Integer> weights = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      weights.add(1);
    }
    Candidates candidates = candidates(endpoints(weights), 17);
    Selector selector = algorithm().newSelector(candidates);
    // Every candidate but the first 8 gets a call in flight: 8 minima remain.
    for (int i = 8; i < 1000; i++) {
      LiveEndpointStats.of(candidates.stats(i)).start();
    }
    int[] counts = new int[8];
    for (int call = 0; call < 40_000; call++) {
      counts[selector.selectIndex(PickContext.create())]++;
    }
    assertEvenWithinFiveSigma(counts, 40_000);
  }

  @Test
  void aSelectorReplacedByANewerOneOverTheSameStatsStillPicksTheMinimum() {
    Candidates candidates = candidates(endpoints(List.of(1, 1, 1, 1, 1)), 5);
    Selector older = algorithm().newSelector(candidates);
    algorithm().newSelector(candidates);
    for (int i = 0; i < 5; i++) {
      if (i != 3) {
        LiveEndpointStats.of(candidates.stats(i)).start();
      }
    }
    for (int call = 0; call < 20; call++) {
      assertThat(older.selectIndex(PickContext.create())).isEqualTo(3);
    }
  }

  @Test
  void candidatesSharingOneStatsObjectStillGetTheMinimum() {
    List<Endpoint> endpoints = endpoints(List.of(1, 1, 1));
    LiveEndpointStats shared = LiveEndpointStats.create();
    LiveEndpointStats own = LiveEndpointStats.create();
    Candidates candidates = TestCandidates.of(endpoints, e -> e == endpoints.get(2) ? own : shared,
        Endpoint::weight, Ticker.system(), RandomSource.seeded(1));
    Selector selector = algorithm().newSelector(candidates);
    shared.start();
    for (int call = 0; call < 20; call++) {
      assertThat(selector.selectIndex(PickContext.create())).isEqualTo(2);
    }
  }

  @Test
  void afterConcurrentStartsAndEndsTheIndexAgreesWithAFullScan() throws Exception {
    List<Integer> weights = new ArrayList<>();
    for (int i = 0; i < 257; i++) {
      weights.add(1 + i % 3);
    }
    Candidates candidates = candidates(endpoints(weights), 9);
    Selector selector = algorithm().newSelector(candidates);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int call = 0; call < 50_000; call++) {
            int index = selector.selectIndex(PickContext.create());
            LiveEndpointStats.of(candidates.stats(index)).start();
            // Thread-dependent pattern: most calls end, some stay in flight.
            if ((call + thread) % 5 != 0) {
              LiveEndpointStats.of(candidates.stats(index)).abandon();
            }
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertPicksReachExactlyTheMinima(selector, candidates);
  }

  @Test
  void moreCandidatesThanTheIndexHoldsFailNamingTheCount() {
    assertThat(LeastLoadTree.checkSize(1 << 20)).isEqualTo(1 << 20);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LeastLoadTree.checkSize((1 << 20) + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("least connections supports at most 1048576 candidates (its index packs the"
            + " count of minima in 21 bits), was 1048577");
  }
}
