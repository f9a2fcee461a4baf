package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.examples.ZooKeeperDiscoveryExample.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ZooKeeperDiscoveryExampleTest {
  private static final int CALLS_PER_PHASE = 60;
  private static Result result;
  private static String output;
  private static Set<Thread> threadsLeft;

  @BeforeAll
  static void runTheExample() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    result = ZooKeeperDiscoveryExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8),
        CALLS_PER_PHASE);
    output = bytes.toString(StandardCharsets.UTF_8);
    threadsLeft = new HashSet<>(Thread.getAllStackTraces().keySet());
    threadsLeft.removeAll(before);
  }

  private static int[] served(String instance) {
    return result.served().getOrDefault(instance, new int[4]);
  }

  @Test
  void everyCallSucceedsThroughTheKillAndEveryCallIsCounted() {
    assertThat(result.failedCalls()).isZero();
    int servedTotal = result.served().values().stream()
        .mapToInt(counts -> counts[0] + counts[1] + counts[2] + counts[3]).sum();
    assertThat(servedTotal).isEqualTo(result.calls());
    assertThat(result.calls()).isGreaterThanOrEqualTo(3 * CALLS_PER_PHASE);
  }

  @Test
  void theKilledInstanceServesNothingOnceLb4jDroppedIt() {
    int[] killed = served(ZooKeeperDiscoveryExample.KILLED);
    assertThat(killed[0]).isPositive();
    assertThat(killed[2]).isZero();
    assertThat(killed[3]).isZero();
  }

  @Test
  void theAddedInstanceServesOnlyOnceItRegistered() {
    int[] added = served(ZooKeeperDiscoveryExample.ADDED);
    assertThat(added[0] + added[1] + added[2]).isZero();
    assertThat(added[3]).isPositive();
  }

  @Test
  void theSurvivorsCarryTheTrafficWhileTheKilledInstanceIsGone() {
    // Which survivor gets how much is the algorithm's choice (least response time); together they
    // serve every call of the phase between the kill and the new instance.
    assertThat(served("inventory-2")[2] + served("inventory-3")[2]).isPositive();
    assertThat(result.served().keySet())
        .containsExactly("inventory-1", "inventory-2", "inventory-3", "inventory-4");
  }

  @Test
  void printsTheMembershipZooKeeperPushedAndTheTable() {
    assertThat(output)
        .contains("  [zookeeper] inventory: [inventory-1, inventory-2, inventory-3]\n")
        .contains("inventory-1 killed: its server stops, then its ZooKeeper session ends\n"
            + "  [zookeeper] inventory: [inventory-2, inventory-3]\n")
        .contains("  [zookeeper] inventory: [inventory-2, inventory-3, inventory-4]\n")
        .contains(result.calls() + " calls, 0 failed; " + result.retries() + " attempts failed");
    assertThat(output.lines().filter(line -> line.matches("inventory-\\d( +\\d+){4}"))).hasSize(4);
  }

  @Test
  void leavesNoNonDaemonThreadRunningSoExecJavaCanExit() throws InterruptedException {
    // exec:java waits for every non-daemon thread. The in-JVM ZooKeeper's session tracker ends a
    // moment after the server closed, so each thread gets a deadline to end rather than none.
    for (Thread thread : threadsLeft) {
      if (!thread.isDaemon()) {
        thread.join(10_000);
      }
    }
    assertThat(threadsLeft).filteredOn(thread -> thread.isAlive() && !thread.isDaemon()).isEmpty();
  }

  @Test
  void badSizeFailsNamingTheValue() {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ZooKeeperDiscoveryExample.run(out, 0))
        .hasMessage("callsPerPhase must be >= 1, was 0");
  }
}
