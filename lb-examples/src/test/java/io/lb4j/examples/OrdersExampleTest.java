package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.examples.InventoryClient.StockReply;
import io.lb4j.examples.OrdersExample.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OrdersExampleTest {

  @Test
  @Timeout(20)
  void ordersStayInTheLocalZoneFailOverWithinTheCallAndSpillOverOnceTheCrashedInstanceIsEjected()
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Outcome outcome = OrdersExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), 6, 12);
    String output = bytes.toString(StandardCharsets.UTF_8);

    // Zone eu-west-1a holds inventory-1 and inventory-2: round robin splits the six between them.
    assertThat(outcome.beforeCrash()).hasSize(6).allSatisfy(reply -> assertThat(reply.attempts()).isOne());
    assertThat(outcome.beforeCrash()).extracting(StockReply::servedBy)
        .containsOnly("inventory-1", "inventory-2")
        .filteredOn(OrdersExample.CRASHING::equals).hasSize(3);
    assertThat(outcome.crashedServedBefore()).isEqualTo(3);

    // After the crash every order is answered, never by the crashed instance. A call tries it at
    // most once (it is excluded on retry), and the fifth failure in a row ejects it: exactly five
    // calls tried it.
    assertThat(outcome.afterCrash()).hasSize(12)
        .allSatisfy(reply -> assertThat(reply.servedBy()).isNotEqualTo(OrdersExample.CRASHING))
        .allSatisfy(reply -> assertThat(reply.attempts()).isLessThanOrEqualTo(2));
    assertThat(outcome.afterCrash()).filteredOn(reply -> reply.tried().contains(OrdersExample.CRASHING))
        .hasSize(5)
        .allSatisfy(reply -> assertThat(reply.tried()).containsExactly(OrdersExample.CRASHING, reply.servedBy()));
    // Half the local zone left is below the 70% it needs: the other zone takes traffic.
    assertThat(outcome.afterCrash()).extracting(StockReply::servedBy).contains("inventory-3");
    assertThat(output)
        .contains("orders (zone eu-west-1a) -> inventory via round-robin, 3 attempts per call, 2000 ms timeout")
        .contains("  [health] EJECTED inventory-2: 5 consecutive failures")
        .contains("(tried inventory-2 then ")
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
