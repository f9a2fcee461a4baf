package io.lb4j.benchmarks;

import io.lb4j.benchmarks.BenchAlgorithms.KeyUse;
import io.lb4j.core.Candidates;
import io.lb4j.core.Selector;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pick itself: {@code selector.selectIndex(context)} for every lb4j algorithm, as the
 * {@link io.lb4j.core.LoadBalancer} calls it, over fleets of 3, 100 and 1000 endpoints, from one
 * thread and from two threads sharing the selector. Affinity algorithms get a new key per pick
 * (hashed per pick, as a caller passing a string key would). Compare with {@link FloorBenchmark}
 * (what any pick costs at least) and with the peers' benchmarks, which use the same fleet and
 * method names. Run with {@code -prof gc} to see allocation per pick; the target is 0 B/op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class SelectorBenchmark {

  @Param({"3", "100", "1000"})
  public int n;

  /** Specs resolved by {@link BenchAlgorithms#byName}; must list every {@link BenchAlgorithms#SPECS}. */
  @Param({"round-robin", "smooth-weighted-round-robin", "random", "weighted-random",
      "least-connections", "power-of-two-choices", "least-response-time", "response-time-weighted",
      "hash-modulo", "ring-hash:100", "ring-hash:160", "ring-hash:1000", "maglev:65537",
      "bounded-load-hash:1.25", "rendezvous", "sticky:round-robin"})
  public String algorithm;

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
