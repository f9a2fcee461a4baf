package io.lb4j.benchmarks;

import io.lb4j.benchmarks.BenchAlgorithms.KeyUse;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.Pick;
import io.lb4j.core.ServerList;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The real per-call cost of the balancer: {@link LoadBalancer#pick} then {@link Pick#complete},
 * i.e. the volatile selector read, the pick, the in-flight increment, the {@link Pick} handle (the
 * one allocation of a call), two ticker reads, the latency EWMA update and the health tracker's
 * outcome hook. The Pick is returned so that it escapes, as it does in real use.
 */
public class LoadBalancerBenchmark extends Lb4jAlgorithmBenchmark {

  LoadBalancer balancer;
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
