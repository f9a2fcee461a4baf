package io.lb4j.kubernetes.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.kubernetes.example.KubernetesRolloutExample.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class KubernetesRolloutExampleTest {

  @Test
  @Timeout(120)
  void rollingUpdateUnderTrafficLosesNoCallAndEndsOnTheNewPodsOnly() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Outcome outcome = KubernetesRolloutExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    String output = bytes.toString(StandardCharsets.UTF_8);
    assertThat(outcome.failed()).as(output).isZero();
    assertThat(outcome.servedBefore().keySet()).as(output).isNotEmpty()
        .allMatch(pod -> pod.startsWith("orders-v1-"));
    assertThat(outcome.servedAfter().keySet()).as(output).isNotEmpty()
        .allMatch(pod -> pod.startsWith("orders-v2-"));
    assertThat(outcome.servedAfter().values().stream().mapToInt(Integer::intValue).sum())
        .isGreaterThanOrEqualTo(30);
    assertThat(output).contains("0 failed").contains("orders-v1-c exited");
  }
}
