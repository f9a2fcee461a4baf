package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A balancer with deterministic subsetting: the subset is the candidate set, widened on failures. */
class LoadBalancerSubsettingTest {
  private static final List<Endpoint> MEMBERS = HealthFixtures.endpoints(60);

  private static Set<Endpoint> candidates(LoadBalancer lb) {
    return new HashSet<>(lb.selector().candidates().endpoints());
  }

  @Test
  void everyAlgorithmPicksOnlyWithinTheSubset() {
    Subsetting subsetting = Subsetting.deterministicAperture(6, 7, 25);
    Set<Endpoint> subset = new HashSet<>(subsetting.subset(MEMBERS));
    assertThat(subset).hasSizeBetween(6, 7);
    List<Algorithm> algorithms = List.of(Algorithms.roundRobin(), Algorithms.smoothWeightedRoundRobin(),
        Algorithms.random(), Algorithms.weightedRandom(), Algorithms.leastConnections(),
        Algorithms.powerOfTwoChoices(), Algorithms.leastResponseTime(), Algorithms.responseTimeWeighted(),
        Algorithms.hashModulo(), Algorithms.ringHash(), Algorithms.maglev(), Algorithms.boundedLoadHash(),
        Algorithms.rendezvous(), Algorithms.sticky(Algorithms.roundRobin()));
    for (Algorithm algorithm : algorithms) {
      try (LoadBalancer lb = LoadBalancer.builder(ServerList.of(MEMBERS)).algorithm(algorithm)
          .subsetting(subsetting).build()) {
        Set<Endpoint> picked = new HashSet<>();
        for (int call = 0; call < 2_000; call++) {
          Pick pick = lb.pick(PickContext.create().hashKey("user-" + call).sessionId("s" + call % 50));
          picked.add(pick.endpoint());
          pick.complete(true, 1_000_000);
        }
        assertThat(picked).as(algorithm.name()).isEqualTo(subset);
      }
    }
  }

  @Test
  void anUnavailableSubsetMemberIsReplacedByTheNextOneAlongTheRingAndReturnsWhenAvailable() {
    Subsetting subsetting = Subsetting.deterministicAperture(5, 3, 40);
    try (LoadBalancer lb = LoadBalancer.builder(ServerList.of(MEMBERS)).subsetting(subsetting).build()) {
      Set<Endpoint> before = candidates(lb);
      Endpoint lost = before.iterator().next();
      lb.healthTracker().markUnavailable(lost, "operator", "drained for the test");

      Set<Endpoint> widened = candidates(lb);
      assertThat(widened).hasSameSizeAs(before).doesNotContain(lost);
      Set<Endpoint> kept = new HashSet<>(before);
      kept.remove(lost);
      assertThat(widened).containsAll(kept);
      assertThat(widened).isEqualTo(new HashSet<>(subsetting.subset(MEMBERS, e -> !e.equals(lost))));

      lb.healthTracker().markAvailable(lost, "operator", "back");
      assertThat(candidates(lb)).isEqualTo(before);
    }
  }

  @Test
  void aSubsetMemberEjectedByFailuresWithDefaultsIsReplaced() {
    Subsetting subsetting = Subsetting.deterministicAperture(5, 11, 40);
    try (LoadBalancer lb = LoadBalancer.builder(ServerList.of(MEMBERS)).algorithm(Algorithms.roundRobin())
        .subsetting(subsetting).build()) {
      Set<Endpoint> before = candidates(lb);
      Endpoint failing = before.iterator().next();
      for (int call = 0; call < 1_000 && candidates(lb).contains(failing); call++) {
        Pick pick = lb.pick();
        pick.complete(!pick.endpoint().equals(failing), 1_000_000);
      }
      assertThat(candidates(lb)).doesNotContain(failing).hasSameSizeAs(before);
    }
  }

  @Test
  void whenTooFewOfTheWholeFleetAreAvailableEveryMemberIsConsideredAndPanicDecides() {
    List<Endpoint> small = HealthFixtures.endpoints(12);
    try (LoadBalancer lb = LoadBalancer.builder(ServerList.of(small))
        .subsetting(Subsetting.deterministicAperture(4, 0, 3)).build()) {
      for (Endpoint endpoint : small.subList(0, 10)) {
        lb.healthTracker().markUnavailable(endpoint, "operator", "drained");
      }
      // Two available instances are fewer than a window: the subset is every member, of which the
      // two available ones are eligible (marks hold in panic).
      assertThat(candidates(lb)).containsExactlyInAnyOrderElementsOf(small.subList(10, 12));
    }
  }

  @Test
  void aChangeOfThePeerListMovesTheSubset() {
    MutableServerList peers = MutableServerList.of(Endpoint.of("client-b", 1), Endpoint.of("client-c", 1));
    Subsetting subsetting = Subsetting.deterministicAperture(5, peers, "client-b:1");
    try (LoadBalancer lb = LoadBalancer.builder(ServerList.of(MEMBERS)).subsetting(subsetting).build()) {
      assertThat(candidates(lb)).isEqualTo(new HashSet<>(
          Subsetting.deterministicAperture(5, 0, 2).subset(MEMBERS)));
      peers.add(Endpoint.of("client-a", 1));
      assertThat(candidates(lb)).isEqualTo(new HashSet<>(
          Subsetting.deterministicAperture(5, 1, 3).subset(MEMBERS)));
    }
  }
}
