package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubsettingLabTest {

  @Test
  void apertureBalancesConnectionsWithinOneAndMovesFewerAssignmentsThanTheSreBook() {
    SubsettingLab.Result aperture = SubsettingLab.measure(SubsetScheme.DETERMINISTIC_APERTURE, 200,
        SubsettingLab.fleet(60), 6, 100);
    SubsettingLab.Result sreBook = SubsettingLab.measure(SubsetScheme.SRE_BOOK, 200,
        SubsettingLab.fleet(60), 6, 100);
    SubsettingLab.Result rendezvous = SubsettingLab.measure(SubsetScheme.RANDOM, 200,
        SubsettingLab.fleet(60), 6, 100);
    assertThat(aperture.connectionsMax() - aperture.connectionsMin()).isLessThanOrEqualTo(1);
    assertThat(rendezvous.connectionsMax() - rendezvous.connectionsMin()).isGreaterThan(1);
    assertThat(aperture.instanceLeaveMoved()).isLessThan(sreBook.instanceLeaveMoved() / 5);
    assertThat(aperture.clientLeaveMoved()).isLessThan(sreBook.clientLeaveMoved() / 5);
    assertThat(rendezvous.clientLeaveMoved()).isZero();
    assertThat(rendezvous.instanceLeaveMoved()).isEqualTo(rendezvous.instanceLeaveUnavoidable());
  }

  @Test
  void printsOneRowPerSchemeAndWritesTheChart(@TempDir Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = SubsettingLab.run(new String[] {"--clients", "50", "--instances", "20", "--subset",
        "4", "--requests", "40", "--out", dir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        System.err);
    assertThat(status).isZero();
    String printed = out.toString(StandardCharsets.UTF_8);
    for (SubsetScheme scheme : SubsetScheme.values()) {
      assertThat(printed).contains(scheme.label());
    }
    assertThat(Files.exists(dir.resolve(SubsettingCharts.FILE))).isTrue();
  }

  @Test
  void badArgumentsExitWithStatusTwoNamingTheOption() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = SubsettingLab.run(new String[] {"--subset", "0"}, System.out,
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--subset must be >= 1, was 0");
  }
}
