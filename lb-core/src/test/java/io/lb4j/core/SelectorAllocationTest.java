package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pick path allocates nothing: 100 000 picks, with and without exclusions, must not move the
 * thread's allocation counter by more than the measurement's own noise (one allocating pick would
 * add at least 1.6 MB).
 */
class SelectorAllocationTest {
  private static final int PICKS = 100_000;

  static Stream<Algorithm> algorithms() {
    return Stream.of(Algorithms.roundRobin(), Algorithms.smoothWeightedRoundRobin(),
        Algorithms.random(), Algorithms.weightedRandom(), Algorithms.leastConnections(),
        Algorithms.powerOfTwoChoices(), Algorithms.leastResponseTime(),
        Algorithms.responseTimeWeighted());
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  @ParameterizedTest
  @MethodSource("algorithms")
  void picksAllocateNothing(Algorithm algorithm) {
    ManualTicker ticker = new ManualTicker();
    List<Endpoint> endpoints = SelectorContract.endpoints(List.of(1, 5, 2, 8, 3, 1, 4));
    Candidates candidates = TestCandidates.of(endpoints,
        e -> LiveEndpointStats.create(ticker, Duration.ofSeconds(10)), Endpoint::weight, ticker,
        RandomSource.seeded(7));
    for (int i = 0; i < endpoints.size(); i++) {
      LiveEndpointStats.of(candidates.stats(i)).start();
      LiveEndpointStats.of(candidates.stats(i)).end(true, 1_000_000L * (i + 1));
    }
    Selector selector = algorithm.newSelector(candidates);
    PickContext plain = PickContext.create();
    PickContext excluding = PickContext.create().exclude(endpoints.get(1)).exclude(endpoints.get(3));
    long sink = 0;
    for (int i = 0; i < PICKS; i++) {
      sink += selector.selectIndex(plain) + selector.selectIndex(excluding);
    }
    allocatedBytes();

    long before = allocatedBytes();
    for (int i = 0; i < PICKS; i++) {
      sink += selector.selectIndex(plain) + selector.selectIndex(excluding);
    }
    long allocated = allocatedBytes() - before;

    assertThat(sink).isPositive();
    assertThat(allocated).as("bytes allocated by %d picks of %s", 2 * PICKS, algorithm.name())
        .isLessThan(1_024);
  }
}
