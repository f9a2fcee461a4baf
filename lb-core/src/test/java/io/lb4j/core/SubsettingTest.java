package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class SubsettingTest {

  private static List<Endpoint> instances(int m) {
    List<Endpoint> instances = new ArrayList<>(m);
    for (int j = 0; j < m; j++) {
      instances.add(Endpoint.of("10.1." + (j / 250) + "." + (j % 250), 8080));
    }
    return instances;
  }

  private static Set<Endpoint> subsetOf(int k, int client, int clients, List<Endpoint> members) {
    return new HashSet<>(Subsetting.deterministicAperture(k, client, clients).subset(members));
  }

  private static <T> int missingFrom(Set<T> a, Set<T> b) {
    Set<T> missing = new HashSet<>(a);
    missing.removeAll(b);
    return missing.size();
  }

  @Test
  void everyInstanceHasTheSameNumberOfClientsWithinOne() {
    qt().withExamples(150)
        .forAll(integers().between(1, 1500), integers().between(2, 400), integers().between(1, 60))
        .checkAssert((n, m, k) -> {
          List<Endpoint> members = instances(m);
          Map<Endpoint, Integer> clients = new HashMap<>();
          for (Endpoint instance : members) {
            clients.put(instance, 0);
          }
          for (int i = 0; i < n; i++) {
            Set<Endpoint> subset = subsetOf(k, i, n, members);
            if (subset.size() < m) {
              assertThat(subset.size()).isBetween(Math.min(k, m), (int) Math.ceil((double) m / n) + k + 1);
            }
            subset.forEach(e -> clients.merge(e, 1, Integer::sum));
          }
          IntSummaryStatistics perInstance =
              clients.values().stream().mapToInt(Integer::intValue).summaryStatistics();
          assertThat(perInstance.getMax() - perInstance.getMin()).isLessThanOrEqualTo(1);
        });
  }

  @Test
  void oneInstanceLeavingMovesAtMostOneOtherInstanceOutAndTwoInPerClient() {
    qt().withExamples(100)
        .forAll(integers().between(1, 800), integers().between(3, 300), integers().between(1, 40),
            integers().between(0, Integer.MAX_VALUE))
        .checkAssert((n, m, k, pick) -> {
          List<Endpoint> members = instances(m);
          List<Endpoint> fewer = new ArrayList<>(members);
          Endpoint removed = fewer.remove(pick % m);
          for (int i = 0; i < n; i++) {
            Set<Endpoint> before = subsetOf(k, i, n, members);
            before.remove(removed);
            Set<Endpoint> after = subsetOf(k, i, n, fewer);
            assertThat(missingFrom(before, after)).isLessThanOrEqualTo(1);
            assertThat(missingFrom(after, before)).isLessThanOrEqualTo(2);
          }
        });
  }

  @Test
  void oneClientLeavingMovesEachOtherWindowByLessThanOneClientsShare() {
    qt().withExamples(100)
        .forAll(integers().between(2, 800), integers().between(2, 300), integers().between(1, 40),
            integers().between(0, Integer.MAX_VALUE))
        .checkAssert((n, m, k, pick) -> {
          List<Endpoint> members = instances(m);
          int leaving = pick % n;
          // Each window's ends move by at most ⌈M/(N-1)⌉ instances.
          int bound = 2 * (int) Math.ceil((double) m / (n - 1)) + 2;
          for (int i = 0; i < n; i++) {
            if (i == leaving) {
              continue;
            }
            Set<Endpoint> before = subsetOf(k, i, n, members);
            Set<Endpoint> after = subsetOf(k, i < leaving ? i : i - 1, n - 1, members);
            assertThat(missingFrom(before, after) + missingFrom(after, before)).isLessThanOrEqualTo(bound);
          }
        });
  }

  @Test
  void unavailableMembersAreReplacedByTheNextAvailableOnesSoTheSubsetKeepsItsSize() {
    qt().withExamples(100)
        .forAll(integers().between(1, 500), integers().between(30, 300), integers().between(1, 20),
            integers().between(0, Integer.MAX_VALUE))
        .checkAssert((n, m, k, seed) -> {
          List<Endpoint> members = instances(m);
          Set<Endpoint> down = new HashSet<>();
          for (int j = 0; j < m; j++) {
            if (Integer.rotateLeft(seed * 31 + j * 0x9E3779B9, 7) % 4 == 0) {
              down.add(members.get(j));
            }
          }
          Predicate<Endpoint> available = e -> !down.contains(e);
          int client = seed % n;
          Subsetting subsetting = Subsetting.deterministicAperture(k, client, n);
          Set<Endpoint> window = new HashSet<>(subsetting.subset(members));
          List<Endpoint> widened = subsetting.subset(members, available);
          if (m - down.size() < window.size()) {
            assertThat(widened).isEqualTo(members);
            return;
          }
          assertThat(widened).hasSize(window.size()).doesNotContainAnyElementsOf(down);
          Set<Endpoint> kept = new HashSet<>(window);
          kept.removeAll(down);
          assertThat(widened).containsAll(kept);
        });
  }

  @Test
  void subsetIsEveryMemberWhenFewerThanTheSubsetSize() {
    List<Endpoint> members = instances(5);
    assertThat(Subsetting.deterministicAperture(5, 3, 10).subset(members)).isSameAs(members);
    assertThat(Subsetting.deterministicAperture(20, 0, 1).subset(instances(30))).hasSize(30);
  }

  @Test
  void coordinateFromPeersIsThePositionOfSelfAmongPeerIdsSorted() {
    MutableServerList peers = MutableServerList.of(List.of(
        Endpoint.of("client-c", 1), Endpoint.of("client-a", 1), Endpoint.of("client-b", 1)));
    Subsetting listed = Subsetting.deterministicAperture(4, peers, "client-b:1");
    assertThat(listed.clientIndex()).isEqualTo(1);
    assertThat(listed.clientCount()).isEqualTo(3);
    Subsetting unlisted = Subsetting.deterministicAperture(4, peers, "client-bb:1");
    assertThat(unlisted.clientIndex()).isEqualTo(2);
    assertThat(unlisted.clientCount()).isEqualTo(4);
    peers.remove("client-a:1");
    assertThat(listed.clientIndex()).isZero();
    assertThat(listed.clientCount()).isEqualTo(2);
  }

  @Test
  void badArgumentsFailNamingTheValue() {
    assertThatThrownBy(() -> Subsetting.deterministicAperture(0, 0, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subsetSize").hasMessageContaining("0");
    assertThatThrownBy(() -> Subsetting.deterministicAperture(3, 5, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clientIndex must be in [0, 5), was 5");
    assertThatThrownBy(() -> Subsetting.deterministicAperture(3, -1, 5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was -1");
    assertThatThrownBy(() -> Subsetting.deterministicAperture(3, 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientCount");
    assertThatThrownBy(() -> Subsetting.deterministicAperture(3, ServerList.of(List.of()), " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("selfId must not be blank, was ' '");
    assertThatThrownBy(() -> Subsetting.deterministicAperture(3, null, "a"))
        .isInstanceOf(NullPointerException.class).hasMessage("peers");
  }
}
