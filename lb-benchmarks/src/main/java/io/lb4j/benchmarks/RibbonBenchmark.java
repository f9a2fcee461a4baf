package io.lb4j.benchmarks;

import com.netflix.loadbalancer.BaseLoadBalancer;
import com.netflix.loadbalancer.BestAvailableRule;
import com.netflix.loadbalancer.IRule;
import com.netflix.loadbalancer.LoadBalancerStats;
import com.netflix.loadbalancer.RandomRule;
import com.netflix.loadbalancer.RoundRobinRule;
import com.netflix.loadbalancer.Server;
import io.lb4j.core.Endpoint;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Peer: Netflix Ribbon's rules on a {@code BaseLoadBalancer} (no ping, so every server is up),
 * picked through {@code chooseServer(null)} as Ribbon's clients do, over servers for the same
 * fleet as {@link SelectorBenchmark}. Ribbon's rules here ignore weights. Best-available sees no
 * request in flight (nothing is executed), like lb4j's load-aware selectors in the selector
 * benchmark.
 */
public class RibbonBenchmark extends FleetBenchmark {

  @Param({"round-robin", "random", "best-available"})
  public String algorithm;

  private BaseLoadBalancer balancer;

  @Setup
  public void buildBalancer() {
    balancer = create(algorithm, BenchEndpoints.fleet(n));
  }

  /** Ribbon's balancer with the rule of kind {@code name} over {@code fleet}. */
  static BaseLoadBalancer create(String name, List<Endpoint> fleet) {
    BaseLoadBalancer balancer =
        new BaseLoadBalancer("bench-" + name, rule(name), new LoadBalancerStats("bench-" + name));
    List<Server> servers = new ArrayList<>(fleet.size());
    for (Endpoint endpoint : fleet) {
      servers.add(new Server(endpoint.host(), endpoint.port()));
    }
    balancer.addServers(servers);
    return balancer;
  }

  private static IRule rule(String name) {
    switch (name) {
      case "round-robin":
        return new RoundRobinRule();
      case "random":
        return new RandomRule();
      case "best-available":
        return new BestAvailableRule();
      default:
        throw new IllegalArgumentException("unknown Ribbon rule '" + name + "'");
    }
  }

  @TearDown
  public void close() {
    balancer.shutdown();
  }

  @Benchmark
  @Threads(1)
  public Server pick() {
    return balancer.chooseServer(null);
  }

  @Benchmark
  @Threads(2)
  public Server pick2Threads() {
    return balancer.chooseServer(null);
  }
}
