package io.lb4j.benchmarks;

import io.lb4j.core.Algorithm;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one membership or health change costs: {@code algorithm.newSelector(candidates)} over 1,000 and
 * 10,000 endpoints, the work a {@link io.lb4j.core.LoadBalancer} does off the pick path on every change
 * (ring of 100/160/1000 vnodes per weight unit, Maglev table of 65,537 entries, alias tables, ...),
 * with uniform weights and with the pick benchmarks' weights 1, 2, 3.
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per build: an upper
 * bound of the selector's retained size (it also counts temporaries such as sort buffers).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class BuildBenchmark {

  @Param({"1000", "10000"})
  public int n;

  /** Specs resolved by {@link BenchAlgorithms#byName}; each must be one of {@link BenchAlgorithms#SPECS}. */
  @Param({"round-robin", "smooth-weighted-round-robin", "weighted-random", "hash-modulo", "ring-hash:100", "ring-hash:160", "ring-hash:1000",
      "maglev:65537", "rendezvous"})
  public String algorithm;

  /**
   * {@code uniform}: every weight 1, so a ring has exactly vnodes × n points; {@code 1-2-3}: the
   * pick benchmarks' fleet, where weight-aware builds (vnodes per weight, smooth WRR cycles, alias
   * tables) do their full work.
   */
  @Param({"uniform", "1-2-3"})
  public String weights;

  private Algorithm factory;
  private Candidates candidates;

  @Setup
  public void prepare() {
    factory = BenchAlgorithms.byName(algorithm);
    switch (weights) {
      case "uniform":
        candidates = Candidates.of(BenchEndpoints.uniform(n));
        break;
      case "1-2-3":
        candidates = Candidates.of(BenchEndpoints.fleet(n));
        break;
      default:
        throw new IllegalArgumentException("weights must be uniform or 1-2-3, was " + weights);
    }
  }

  @Benchmark
  public Selector build() {
    return factory.newSelector(candidates);
  }
}
