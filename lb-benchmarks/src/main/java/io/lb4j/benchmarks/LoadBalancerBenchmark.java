package io.lb4j.benchmarks;

import io.lb4j.benchmarks.BenchAlgorithms.KeyUse;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.Pick;
import io.lb4j.core.ServerList;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The real per-call cost of the balancer: {@link LoadBalancer#pick} then {@link Pick#complete},
 * i.e. the volatile selector read, the pick, the in-flight increment, the {@link Pick} handle (the
 * one allocation of a call), two ticker reads, the latency EWMA update and the health tracker's
 * outcome hook. The Pick is returned so that it escapes, as it does in real use.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class LoadBalancerBenchmark {

  @Param({"3", "100", "1000"})
  public int n;

  /** Specs resolved by {@link BenchAlgorithms#byName}; must list every {@link BenchAlgorithms#SPECS}. */
  @Param({"round-robin", "smooth-weighted-round-robin", "random", "weighted-random",
      "least-connections", "power-of-two-choices", "least-response-time", "response-time-weighted",
      "hash-modulo", "ring-hash:100", "ring-hash:160", "ring-hash:1000", "maglev:65537",
      "bounded-load-hash:1.25", "rendezvous", "sticky:round-robin"})
  public String algorithm;

  private LoadBalancer balancer;
  private KeyUse keyUse;

  @Setup
  public void buildBalancer() {
    balancer = LoadBalancer.builder(ServerList.of(BenchEndpoints.fleet(n)))
        .name("bench")
        .algorithm(BenchAlgorithms.byName(algorithm))
        .build();
    keyUse = BenchAlgorithms.keyUse(algorithm);
  }

  @TearDown
  public void close() {
    balancer.close();
  }

  @Benchmark
  @Threads(1)
  public Pick pickAndComplete(CallerState caller) {
    Pick pick = balancer.pick(caller.contextFor(keyUse));
    pick.complete(true);
    return pick;
  }

  @Benchmark
  @Threads(2)
  public Pick pickAndComplete2Threads(CallerState caller) {
    Pick pick = balancer.pick(caller.contextFor(keyUse));
    pick.complete(true);
    return pick;
  }
}
