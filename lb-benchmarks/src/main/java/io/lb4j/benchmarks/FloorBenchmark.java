package io.lb4j.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Threads;

/**
 * The floors no balancer can beat, measured in the same run as {@link SelectorBenchmark}: a bare
 * shared {@code AtomicInteger.getAndIncrement()} modulo n (the cost of any shared-counter
 * algorithm, contention included), and the next key hashed then reduced modulo n (the cost of any
 * per-call-hashed affinity algorithm). Same fleet sizes and thread counts as the selector benchmark.
 */
public class FloorBenchmark extends FleetBenchmark {

  private final AtomicInteger counter = new AtomicInteger();

  @Benchmark
  @Threads(1)
  public int counterFloor() {
    return (counter.getAndIncrement() & Integer.MAX_VALUE) % n;
  }

  @Benchmark
  @Threads(2)
  public int counterFloor2Threads() {
    return (counter.getAndIncrement() & Integer.MAX_VALUE) % n;
  }

  @Benchmark
  @Threads(1)
  public int hashFloor(CallerState caller) {
    return (int) Long.remainderUnsigned(caller.nextKeyHash(), n);
  }

  @Benchmark
  @Threads(2)
  public int hashFloor2Threads(CallerState caller) {
    return (int) Long.remainderUnsigned(caller.nextKeyHash(), n);
  }
}
