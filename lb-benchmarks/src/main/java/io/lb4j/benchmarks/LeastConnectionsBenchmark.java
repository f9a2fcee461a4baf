package io.lb4j.benchmarks;

import io.lb4j.core.Algorithms;
import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import io.lb4j.core.internal.stats.LiveEndpointStats;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Threads;

/**
 * Least connections' two paths side by side, over the same fleets as {@link SelectorBenchmark}:
 * {@code pickIndexed} is a pick through the in-flight index (the normal path);
 * {@code pickScanning} excludes one endpoint, which sends the pick down the O(n) scan (the
 * algorithm as it was before the index, and still the path of retries); {@code pickStartEnd} adds
 * what the index costs a call, one in-flight increment and one decrement, each updating the index.
 * Compare with {@link FloorBenchmark} in the same run.
 */
public class LeastConnectionsBenchmark extends FleetBenchmark {

  private Selector selector;
  private final PickContext excludingOne = PickContext.create();

  @Setup
  public void buildSelector() {
    Candidates candidates = Candidates.of(BenchEndpoints.fleet(n));
    selector = Algorithms.leastConnections().newSelector(candidates);
    excludingOne.exclude(candidates.endpoint(n / 2));
  }

  @Benchmark
  @Threads(1)
  public int pickIndexed(CallerState caller) {
    return selector.selectIndex(caller.context);
  }

  @Benchmark
  @Threads(1)
  public int pickScanning() {
    return selector.selectIndex(excludingOne);
  }

  @Benchmark
  @Threads(1)
  public int pickStartEnd(CallerState caller) {
    int index = selector.selectIndex(caller.context);
    LiveEndpointStats stats = LiveEndpointStats.of(selector.candidates().stats(index));
    stats.start();
    stats.abandon();
    return index;
  }
}
