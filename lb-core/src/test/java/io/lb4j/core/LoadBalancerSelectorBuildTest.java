package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.endpoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A selector build that fails is never swallowed: the writer sees it, or the balancer shows it. */
class LoadBalancerSelectorBuildTest {

  @Test
  void addingAnEndpointTheAlgorithmCannotServeIsThrownToTheWriterAndNotApplied() {
    List<Endpoint> seven = endpoints(7);
    MutableServerList servers = MutableServerList.of(seven);
    Endpoint eighth = Endpoint.of("10.0.0.8", 8080);
    try (LoadBalancer lb = LoadBalancer.builder(servers).name("orders")
        .algorithm(Algorithms.maglev(7)).build()) {
      assertThatThrownBy(() -> servers.add(eighth))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("load balancer 'orders': maglev cannot serve 8 endpoints [")
          .hasMessageContaining("10.0.0.8:8080");

      assertThat(servers.endpoints()).isEqualTo(seven);
      assertThat(lb.endpoints()).isEqualTo(seven);
      assertThat(lb.selector().candidates().endpoints()).isEqualTo(seven);
      assertThat(lb.selectorBuildFailure()).isEmpty();
    }
  }

  @Test
  void aRefusedReplacementLeavesEveryListenerOnTheOldMembership() {
    MutableServerList servers = MutableServerList.of(endpoints(3));
    List<List<Endpoint>> seen = new ArrayList<>();
    servers.subscribe(seen::add);
    try (LoadBalancer lb = LoadBalancer.builder(servers).algorithm(Algorithms.maglev(7)).build()) {
      assertThatThrownBy(() -> servers.replaceAll(endpoints(9)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(seen).hasSize(1);

      servers.replaceAll(endpoints(5));
      assertThat(lb.selector().candidates().size()).isEqualTo(5);
    }
  }

  @Test
  void buildingOverAListTheAlgorithmCannotServeFailsNamingIt() {
    assertThatThrownBy(() -> LoadBalancer.builder(ServerList.of(endpoints(8)))
            .name("orders").algorithm(Algorithms.maglev(7)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("load balancer 'orders': maglev cannot serve 8 endpoints");
  }

  @Test
  void aFailureOnAListThatCannotRefuseShowsInTheBalancerAndClearsOnTheNextGoodBuild() {
    AtomicReference<ServerList.Listener> listener = new AtomicReference<>();
    ServerList pushing = new ServerList() {
      @Override
      public List<Endpoint> endpoints() {
        return List.of();
      }

      @Override
      public Subscription subscribe(Listener l) {
        listener.set(l);
        l.onChange(List.of());
        return () -> {};
      }
    };
    try (LoadBalancer lb = LoadBalancer.builder(pushing).algorithm(Algorithms.maglev(7)).build()) {
      listener.get().onChange(endpoints(5));
      listener.get().onChange(endpoints(8));

      assertThat(lb.selectorBuildFailure()).get(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
          .hasMessageContaining("8");
      assertThat(lb.selector().candidates().size()).isEqualTo(5);

      listener.get().onChange(endpoints(6));
      assertThat(lb.selectorBuildFailure()).isEmpty();
      assertThat(lb.selector().candidates().size()).isEqualTo(6);
    }
  }

  @Test
  void aMembershipChangeBuildsItsSelectorOnceWhenEveryMemberIsEligible() {
    AtomicInteger builds = new AtomicInteger();
    Algorithm counting = new Algorithm() {
      @Override
      public Selector newSelector(Candidates candidates) {
        builds.incrementAndGet();
        return Algorithms.maglev().newSelector(candidates);
      }

      @Override
      public String name() {
        return "counting-maglev";
      }
    };
    MutableServerList servers = MutableServerList.of(endpoints(3));
    try (LoadBalancer lb = LoadBalancer.builder(servers).algorithm(counting).build()) {
      builds.set(0);
      Endpoint fourth = Endpoint.of("10.0.0.4", 8080);
      servers.add(fourth);

      assertThat(builds.get()).isEqualTo(1);
      Candidates candidates = lb.selector().candidates();
      assertThat(candidates.endpoints()).hasSize(4);
      assertThat(candidates.stats(candidates.indexOf(fourth.id())))
          .isSameAs(lb.stats(fourth.id()).orElseThrow());
    }
  }
}
