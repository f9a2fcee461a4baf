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
  void everyOrderIsAnsweredAndACrashedInstanceIsFailedOverWithinTheCall() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Outcome outcome = OrdersExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), 6, 6);
    String output = bytes.toString(StandardCharsets.UTF_8);

    // Round robin over three healthy instances: each serves two of six, each on the first attempt.
    assertThat(outcome.beforeCrash()).hasSize(6).allSatisfy(reply -> assertThat(reply.attempts()).isOne());
    assertThat(outcome.beforeCrash()).extracting(StockReply::servedBy)
        .containsOnly("inventory-1", "inventory-2", "inventory-3")
        .filteredOn(OrdersExample.CRASHING::equals).hasSize(2);
    assertThat(outcome.crashedServedBefore()).isEqualTo(2);

    // After the crash nothing is served by it, yet every order gets its answer; in any run of
    // round-robin picks the crashed instance comes up, so some calls needed a second attempt.
    assertThat(outcome.afterCrash()).hasSize(6)
        .allSatisfy(reply -> assertThat(reply.servedBy()).isNotEqualTo(OrdersExample.CRASHING))
        .anySatisfy(reply -> assertThat(reply.tried()).containsExactly(OrdersExample.CRASHING, reply.servedBy()));
    assertThat(outcome.afterCrash()).allSatisfy(reply -> assertThat(reply.attempts()).isLessThanOrEqualTo(2));
    long failedOver = outcome.afterCrash().stream().filter(reply -> reply.attempts() == 2).count();
    assertThat(output)
        .contains("orders (zone eu-west-1a) -> inventory via round-robin, 3 attempts per call, 2000 ms timeout")
        .contains("(tried inventory-2 then ")
        .contains(failedOver + " of 6 orders after the crash failed over within the call; none was lost.");
  }

  @Test
  void replicasAgreeOnStockSoAnswersDoNotDependOnTheInstance() throws Exception {
    Outcome outcome = OrdersExample.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), 3, 3);

    for (StockReply reply : outcome.beforeCrash()) {
      assertThat(reply.quantity()).isEqualTo(Math.floorMod(reply.sku().hashCode(), 100));
    }
  }
}
