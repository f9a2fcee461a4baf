package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.examples.InventoryClient.StockReply;
import io.lb4j.examples.OrdersExample.Outcome;
import io.lb4j.okhttp.CallListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OrdersExampleTest {
  private static final String CRASHING = OrdersExample.CRASHING;

  private static List<String> servedBy(List<StockReply> replies) {
    return replies.stream().map(StockReply::servedBy).toList();
  }

  @Test
  @Timeout(20)
  void ordersStayInTheLocalZoneFailOverWithinTheCallAndSpillOverOnceTheCrashedInstanceIsEjected()
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Outcome outcome = OrdersExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), 6, 12);
    String output = bytes.toString(StandardCharsets.UTF_8);

    // Zone eu-west-1a holds inventory-1 and inventory-2: round robin alternates between them, from
    // a random start, and the other zone's inventory-3 sees nothing.
    List<String> before = servedBy(outcome.beforeCrash());
    assertThat(outcome.beforeCrash()).hasSize(6).allSatisfy(reply -> assertThat(reply.tried()).containsExactly(reply.servedBy()));
    assertThat(before).containsOnly("inventory-1", CRASHING).filteredOn(CRASHING::equals).hasSize(3);
    for (int i = 1; i < before.size(); i++) {
      assertThat(before.get(i)).isNotEqualTo(before.get(i - 1));
    }
    assertThat(outcome.crashedServedBefore()).isEqualTo(3);

    // After the crash every order is answered, never by the crashed instance. Round robin keeps
    // offering it every other call; each such call fails over within the call (it is excluded on
    // retry), and the fifth failure in a row ejects it: exactly five calls tried it.
    List<StockReply> after = outcome.afterCrash();
    assertThat(after).hasSize(12).extracting(StockReply::servedBy).doesNotContain(CRASHING);
    List<Integer> failedOver = new ArrayList<>();
    for (int i = 0; i < after.size(); i++) {
      StockReply reply = after.get(i);
      if (reply.tried().contains(CRASHING)) {
        assertThat(reply.tried()).containsExactly(CRASHING, reply.servedBy());
        assertThat(reply.trace().attempts()).extracting(attempt -> attempt.outcome())
            .containsExactly(CallListener.Outcome.IO_ERROR, CallListener.Outcome.SUCCESS);
        failedOver.add(i);
      } else {
        assertThat(reply.tried()).containsExactly(reply.servedBy());
      }
    }
    assertThat(failedOver).hasSize(5);
    int ejectingCall = failedOver.get(4);
    // Until then zone preference holds: the only other local instance, inventory-1, takes the calls.
    assertThat(servedBy(after.subList(0, ejectingCall))).containsOnly("inventory-1");
    // Then half the local zone is left, below the 70% it needs: both zones share the calls.
    List<String> spilled = servedBy(after.subList(ejectingCall + 1, after.size()));
    assertThat(spilled).contains("inventory-1", "inventory-3");
    for (int i = 1; i < spilled.size(); i++) {
      assertThat(spilled.get(i)).isNotEqualTo(spilled.get(i - 1));
    }
    assertThat(output)
        .contains("orders (zone eu-west-1a) -> inventory via round-robin, 3 attempts per call, 2000 ms timeout")
        .contains("  [health] EJECTED inventory-2: 5 consecutive failures")
        .contains("(tried inventory-2 then ")
        .contains("      #1 FIRST inventory-2 IO_ERROR (java.net.ConnectException")
        .contains("5 of 12 orders after the crash failed over within the call; none was lost.");
  }

  @Test
  void replicasAgreeOnStockSoAnswersDoNotDependOnTheInstance() throws Exception {
    Outcome outcome = OrdersExample.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), 3, 3);

    for (StockReply reply : outcome.beforeCrash()) {
      assertThat(reply.quantity()).isEqualTo(Math.floorMod(reply.sku().hashCode(), 100));
    }
  }
}
