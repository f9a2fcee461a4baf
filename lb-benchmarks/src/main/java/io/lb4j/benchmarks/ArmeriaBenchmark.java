package io.lb4j.benchmarks;

import com.linecorp.armeria.common.loadbalancer.LoadBalancer;
import io.lb4j.core.Endpoint;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Peer: Armeria's framework-free {@code com.linecorp.armeria.common.loadbalancer.LoadBalancer}
 * (no client, no event loop), picking among the same fleet of lb4j {@link Endpoint} values as
 * {@link SelectorBenchmark}, with the same weights and method names. Sticky gets the hash of a new
 * key per pick, computed with the same hash as lb4j's affinity benchmarks.
 */
public class ArmeriaBenchmark extends FleetBenchmark {

  @Param({"round-robin", "weighted-round-robin", "weighted-random", "sticky"})
  public String algorithm;

  private LoadBalancer<Endpoint, ? super CallerState> balancer;
  private boolean keyed;

  @Setup
  public void buildBalancer() {
    balancer = create(algorithm, BenchEndpoints.fleet(n));
    keyed = algorithm.equals("sticky");
  }

  /** Armeria's balancer of kind {@code name} over {@code fleet}. */
  static LoadBalancer<Endpoint, ? super CallerState> create(String name, List<Endpoint> fleet) {
    switch (name) {
      case "round-robin":
        return LoadBalancer.ofRoundRobin(fleet);
      case "weighted-round-robin":
        return LoadBalancer.ofWeightedRoundRobin(fleet, Endpoint::weight);
      case "weighted-random":
        return LoadBalancer.ofWeightedRandom(fleet, Endpoint::weight);
      case "sticky":
        return LoadBalancer.<Endpoint, CallerState>ofSticky(fleet, caller -> caller.keyHash);
      default:
        throw new IllegalArgumentException("unknown Armeria load balancer '" + name + "'");
    }
  }

  @TearDown
  public void close() {
    balancer.close();
  }

  @Benchmark
  @Threads(1)
  public Endpoint pick(CallerState caller) {
    return pickOnce(caller);
  }

  @Benchmark
  @Threads(2)
  public Endpoint pick2Threads(CallerState caller) {
    return pickOnce(caller);
  }

  private Endpoint pickOnce(CallerState caller) {
    if (keyed) {
      caller.nextKeyHash();
    }
    return balancer.pick(caller);
  }
}
