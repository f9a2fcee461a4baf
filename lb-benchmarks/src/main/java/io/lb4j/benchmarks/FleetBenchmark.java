package io.lb4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every pick benchmark shares, so that one JMH run compares like with like: the fleet sizes,
 * the mode and unit, and the warmup, measurement and fork settings. JMH inherits these annotations
 * and the {@code @Param} field; a subclass may still override one (Dubbo adds JVM arguments).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public abstract class FleetBenchmark {

  /** Endpoints in the fleet ({@link BenchEndpoints#fleet}). */
  @Param({"3", "100", "1000", "10000"})
  public int n;
}
