package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.examples.SelectorApiExample.Movement;
import io.lb4j.examples.SelectorApiExample.Report;
import io.lb4j.examples.SelectorApiExample.Spread;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectorApiExampleTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyAlgorithmsPicksAddUpAndArePrintedAsOneRow() {
    Report report = SelectorApiExample.run(out, 800, 100, LabAlgorithms.spreading(), List.of());

    assertThat(report.spreads()).hasSize(LabAlgorithms.spreading().size());
    for (Spread spread : report.spreads()) {
      assertThat(spread.picks().keySet()).containsExactly(
          "10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080", "10.0.0.4:8080");
      assertThat(spread.picks().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(800);
      assertThat(output().lines().filter(line -> line.startsWith(spread.algorithm() + " "))).hasSize(1);
    }
  }

  @Test
  void roundRobinGivesEachEndpointAnEqualShareRegardlessOfWeight() {
    Report report = SelectorApiExample.run(out, 800, 100, List.of(Algorithms.roundRobin()), List.of());

    assertThat(report.spreads().get(0).picks().values()).containsExactly(200, 200, 200, 200);
    assertThat(output()).containsPattern("round-robin\\s+200\\s+200\\s+200\\s+200");
  }

  @Test
  void callsKeptInFlightLetLeastConnectionsFollowTheWeights() {
    // Picked and completed one at a time, every endpoint would always be idle and least connections
    // would send everything to the heaviest one.
    Report report = SelectorApiExample.run(out, 800, 100, List.of(Algorithms.leastConnections()), List.of());

    assertThat(report.spreads().get(0).picks().values()).containsExactly(400, 200, 100, 100);
  }

  @Test
  void removingAnEndpointUnderConsistentHashingMovesOnlyItsKeys() {
    Report report = SelectorApiExample.run(out, 100, 2_000, List.of(), List.of(Algorithms.ringHash(), Algorithms.rendezvous()));

    assertThat(report.movements()).hasSize(2).allSatisfy(movement -> {
      assertThat(movement.removed()).isEqualTo(SelectorApiExample.REMOVED);
      assertThat(movement.movedFromOthers()).isZero();
      // The removed endpoint has weight 2 of 8: about a quarter of 2,000 keys, all of which had to move.
      assertThat(movement.movedFromRemoved()).isBetween(400, 600);
      assertThat(output()).contains("moved: " + movement.movedFromRemoved() + " keys from 10.0.0.2:8080 (had to), "
          + "0 keys between endpoints that stayed");
    });
  }

  @Test
  void keysThatMovedBetweenRemainingEndpointsAreCountedSeparately() {
    Report report = SelectorApiExample.run(out, 100, 2_000, List.of(), List.of(Algorithms.hashModulo()));

    Movement movement = report.movements().get(0);
    // mod 4 -> mod 3 keeps a key only when k mod 4 and k mod 3 pick the same survivor: most move.
    assertThat(movement.movedFromOthers()).isGreaterThan(movement.keys() / 3);
    assertThat(movement.movedFromRemoved()).isBetween(400, 600);
  }

  @Test
  void withoutHashAlgorithmsTheKeySectionSaysSo() {
    Report report = SelectorApiExample.run(out, 100, 100, List.of(Algorithms.roundRobin()), List.of());

    assertThat(report.movements()).isEmpty();
    assertThat(output()).contains("(no hash algorithm in LabAlgorithms.keyed() on this build)");
  }

  @Test
  void everyConsistentHashInTheListMovesOnlyTheRemovedEndpointsKeys() {
    List<Algorithm> keyed = LabAlgorithms.keyed();
    Report report = SelectorApiExample.run(out, 100, 500, List.of(), keyed);

    assertThat(report.movements()).extracting(Movement::algorithm)
        .containsExactlyElementsOf(keyed.stream().map(Algorithm::name).toList());
    assertThat(report.movements()).allSatisfy(m -> {
      assertThat(m.movedFromRemoved() + m.movedFromOthers()).isLessThanOrEqualTo(m.keys());
      if (m.algorithm().equals("ring-hash") || m.algorithm().equals("rendezvous")
          || m.algorithm().equals("bounded-load-hash")) {
        assertThat(m.movedFromOthers()).as(m.algorithm()).isZero();
      }
    });
  }
}
