package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.examples.QuickStart.Result;
import io.lb4j.examples.QuickStartTally.InstanceRow;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class QuickStartTest {
  private static final int REQUESTS = 300;
  private static Result result;
  private static String output;
  private static Set<Thread> threadsLeft;

  @BeforeAll
  static void runSmallQuickStart() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    result = QuickStart.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), REQUESTS, 4, false);
    output = bytes.toString(StandardCharsets.UTF_8);
    threadsLeft = new HashSet<>(Thread.getAllStackTraces().keySet());
    threadsLeft.removeAll(before);
  }

  private static InstanceRow row(String name) {
    return result.instances().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void everyCallSucceedsThroughTheCrash() {
    assertThat(result.calls()).isEqualTo(REQUESTS);
    assertThat(result.failedCalls()).isZero();
    assertThat(result.all().servedBefore() + result.all().servedAfter()).isEqualTo(REQUESTS);
    assertThat(result.all().servedBefore()).isEqualTo(REQUESTS / 2);
  }

  @Test
  void theStoppedInstanceServesNoCallStartedAfterTheCrash() {
    assertThat(row(QuickStart.STOPPED).servedAfter()).isZero();
    // The survivors take every call after the crash between them.
    assertThat(result.instances().stream().filter(r -> !r.name().equals(QuickStart.STOPPED))
        .mapToInt(InstanceRow::servedAfter).sum()).isEqualTo(REQUESTS / 2);
  }

  @Test
  void everyInstanceServedBeforeTheCrash() {
    assertThat(result.instances()).extracting(InstanceRow::name)
        .containsExactly("inventory-1", "inventory-2", "inventory-3", "inventory-4");
    assertThat(result.instances()).allSatisfy(row -> assertThat(row.servedBefore()).isPositive());
  }

  @Test
  void attemptsOnTheDeadInstanceFailedAndEachWasRetriedElsewhere() {
    // The fastest instance is the favourite, so calls keep picking it until it is ejected.
    assertThat(row(QuickStart.STOPPED).failedAttempts()).isPositive();
    assertThat(result.instances().stream().filter(r -> !r.name().equals(QuickStart.STOPPED)))
        .allSatisfy(r -> assertThat(r.failedAttempts()).isZero());
    // No call failed, so every failed attempt was followed by another: retries match them exactly.
    assertThat(result.retries()).isEqualTo(result.all().failedAttempts()).isPositive();
    assertThat(result.attempts()).isEqualTo(REQUESTS + result.retries());
  }

  @Test
  void latencyPercentilesAreOrdered() {
    assertThat(result.all().p50Micros()).isPositive().isLessThanOrEqualTo(result.all().p99Micros());
    assertThat(result.instances()).allSatisfy(row -> assertThat(row.p50Micros()).isLessThanOrEqualTo(row.p99Micros()));
    // Latency includes each instance's added delay: 16 ms instance never answers faster than that.
    assertThat(row("inventory-4").p50Micros()).isGreaterThanOrEqualTo(16_000);
  }

  @Test
  void printsTheAlgorithmTheCrashAndOneTableRowPerInstance() {
    List<String> lines = output.lines().collect(Collectors.toList());
    assertThat(output)
        .contains("http://inventory -> LoadBalancer{inventory, least-response-time, 4/4 eligible}\n"
            + "  least-response-time: power of two choices over peak-EWMA latency x in-flight,"
            + " the LoadBalancer's default algorithm")
        .contains("inventory-1 stopped after 150 calls started (")
        .contains("[health] EJECTED inventory-1: 5 consecutive failures")
        .contains("300 / 300 calls done (100%)")
        .contains("300 calls, 0 failed; " + result.retries() + " retries")
        .doesNotContain("FAILED");
    assertThat(lines).filteredOn(line -> line.matches("inventory-\\d +\\d+ ms .*")).hasSize(4);
    assertThat(lines).filteredOn(line -> line.startsWith("all ")).singleElement().asString()
        .matches("all +150 +150 +" + result.retries() + " +\\d+\\.\\d +\\d+\\.\\d");
  }

  @Test
  void leavesNoNonDaemonThreadRunningSoExecJavaCanExit() {
    // exec:java waits for every non-daemon thread: an HTTP server or OkHttp dispatcher left
    // running would hang the README's demo command after the table.
    assertThat(threadsLeft).filteredOn(thread -> thread.isAlive() && !thread.isDaemon()).isEmpty();
  }

  @Test
  void badSizesFailNamingTheValue() {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> QuickStart.run(out, 1, 4, false)).hasMessage("requests must be >= 2, was 1");
    assertThatThrownBy(() -> QuickStart.run(out, 10, 0, false)).hasMessage("threads must be >= 1, was 0");
  }
}
