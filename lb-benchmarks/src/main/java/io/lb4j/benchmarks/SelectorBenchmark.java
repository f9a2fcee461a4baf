package io.lb4j.benchmarks;

import io.lb4j.benchmarks.BenchAlgorithms.KeyUse;
import io.lb4j.core.Candidates;
import io.lb4j.core.Selector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Threads;

/**
 * The pick itself: {@code selector.selectIndex(context)} for every lb4j algorithm, as the
 * {@link io.lb4j.core.LoadBalancer} calls it, over fleets of 3, 100, 1,000 and 10,000 endpoints, from one
 * thread and from two threads sharing the selector. Affinity algorithms get a new key per pick
 * (hashed per pick, as a caller passing a string key would). Compare with {@link FloorBenchmark}
 * (what any pick costs at least) and with the peers' benchmarks, which use the same fleet and
 * method names. Run with {@code -prof gc} to see allocation per pick; the target is 0 B/op.
 */
public class SelectorBenchmark extends Lb4jAlgorithmBenchmark {

  private Selector selector;
  private KeyUse keyUse;

  @Setup
  public void buildSelector() {
    selector = BenchAlgorithms.byName(algorithm).newSelector(Candidates.of(BenchEndpoints.fleet(n)));
    keyUse = BenchAlgorithms.keyUse(algorithm);
  }

  @Benchmark
  @Threads(1)
  public int pick(CallerState caller) {
    return selector.selectIndex(caller.contextFor(keyUse));
  }

  @Benchmark
  @Threads(2)
  public int pick2Threads(CallerState caller) {
    return selector.selectIndex(caller.contextFor(keyUse));
  }
}
