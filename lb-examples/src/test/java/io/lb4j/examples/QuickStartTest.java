package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.examples.QuickStart.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class QuickStartTest {

  @Test
  @Timeout(30)
  void everyCallSucceedsThroughACrashAndAJoinAndOnlyLiveInstancesServe() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Outcome outcome = QuickStart.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), 12);
    String output = bytes.toString(StandardCharsets.UTF_8);

    // run() throws on any failed call, so reaching here means all 36 succeeded; check who served.
    assertThat(outcome.allUp()).hasSize(12).containsAnyOf("inventory-1", "inventory-2", "inventory-3")
        .doesNotContain(QuickStart.JOINING);
    assertThat(outcome.afterCrash()).hasSize(12)
        .doesNotContain(QuickStart.CRASHING)
        .allSatisfy(instance -> assertThat(instance).isIn("inventory-1", "inventory-3"));
    assertThat(outcome.afterJoin()).hasSize(12)
        .doesNotContain(QuickStart.CRASHING)
        .allSatisfy(instance -> assertThat(instance).isIn("inventory-1", "inventory-3", QuickStart.JOINING));
    assertThat(output)
        .contains("calls to http://inventory/stock/{sku} through LoadBalancer{inventory, least-response-time, 3/3 eligible}")
        .contains("inventory-2 crashed: 12 calls, served by {")
        .contains("36 calls, none failed.");
  }
}
