package io.lb4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.loadbalancer.BaseLoadBalancer;
import com.netflix.loadbalancer.Server;
import io.lb4j.core.Endpoint;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every peer named in a benchmark's {@code @Param} list builds on this classpath and Java version,
 * and picks members of the fleet: a peer that fails to load, or returns null or a stranger, would
 * make its benchmark row meaningless.
 */
class PeersTest {
  private static final List<Endpoint> FLEET = BenchEndpoints.fleet(3);

  @Test
  void everyArmeriaBalancerPicksFleetMembers() {
    for (String name : Params.of(ArmeriaBenchmark.class, "algorithm")) {
      var balancer = ArmeriaBenchmark.create(name, FLEET);
      CallerState caller = new CallerState();
      Set<Endpoint> picked = new HashSet<>();
      for (int i = 0; i < 60; i++) {
        caller.nextKeyHash();
        picked.add(balancer.pick(caller));
      }
      assertThat(picked).as(name).isNotEmpty().isSubsetOf(FLEET);
      balancer.close();
    }
  }

  @Test
  void everyDubboBalancerPicksFleetInvokers() {
    DubboBenchmark benchmark = new DubboBenchmark();
    benchmark.n = FLEET.size();
    for (String name : Params.of(DubboBenchmark.class, "algorithm")) {
      benchmark.algorithm = name;
      benchmark.buildInvokers();
      CallerState caller = new CallerState();
      DubboBenchmark.DubboCaller dubbo = new DubboBenchmark.DubboCaller();
      Set<String> picked = new HashSet<>();
      for (int i = 0; i < 60; i++) {
        picked.add(benchmark.pick(caller, dubbo).getUrl().getAddress());
      }
      assertThat(picked).as(name).isNotEmpty()
          .isSubsetOf(FLEET.stream().map(Endpoint::address).toList());
    }
  }

  @Test
  void everyRibbonRulePicksFleetServers() {
    for (String name : Params.of(RibbonBenchmark.class, "algorithm")) {
      BaseLoadBalancer balancer = RibbonBenchmark.create(name, FLEET);
      try {
        Set<String> picked = new HashSet<>();
        for (int i = 0; i < 60; i++) {
          Server server = balancer.chooseServer(null);
          assertThat(server).as(name).isNotNull();
          picked.add(server.getHostPort());
        }
        assertThat(picked).as(name)
            .isSubsetOf(FLEET.stream().map(Endpoint::address).toList());
      } finally {
        balancer.shutdown();
      }
    }
  }
}
