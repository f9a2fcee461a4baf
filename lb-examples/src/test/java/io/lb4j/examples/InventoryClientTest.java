package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.examples.InventoryClient.StockReply;
import io.lb4j.okhttp.CallTrace;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The config's attempt budget and timeout reach the OkHttp client and lb4j's interceptor. */
@Timeout(20)
class InventoryClientTest {
  private final List<InventoryBackend> backends = new ArrayList<>();

  @AfterEach
  void stopBackends() {
    backends.forEach(InventoryBackend::close);
  }

  private InventoryBackend backend(String name, Duration delay) {
    InventoryBackend backend = InventoryBackend.start(name, delay);
    backends.add(backend);
    return backend;
  }

  /** Round robin over {@code instances}, no zone preference, the given attempts and timeout. */
  private static InventoryClientConfig config(List<InventoryBackend> instances, int maxAttempts, int timeoutMillis) {
    Properties properties = InventoryClientConfig.loadResource("/inventory-client.properties");
    List<String> entries = new ArrayList<>();
    for (InventoryBackend backend : instances) {
      entries.add(backend.host() + ":" + backend.port() + ";id=" + backend.name());
    }
    properties.setProperty("inventory.instances", String.join(",", entries));
    properties.setProperty("inventory.zone", "");
    properties.setProperty("inventory.max-attempts", Integer.toString(maxAttempts));
    properties.setProperty("inventory.timeout-ms", Integer.toString(timeoutMillis));
    return InventoryClientConfig.fromProperties(properties);
  }

  /** Calls until one fails or {@code calls} succeeded; round robin offers each instance in two calls. */
  private static List<Object> outcomes(InventoryClient client, int calls) {
    List<Object> outcomes = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      try {
        outcomes.add(client.stock("sku-" + i));
      } catch (IOException e) {
        outcomes.add(e);
      }
    }
    return outcomes;
  }

  @Test
  void withOneAttemptACallThatPicksADeadInstanceFails() {
    InventoryBackend dead = backend("dead", Duration.ZERO);
    backend("live", Duration.ZERO);
    dead.close();

    try (InventoryClient client = new InventoryClient(config(backends, 1, 2_000))) {
      List<Object> outcomes = outcomes(client, 2);

      assertThat(outcomes).filteredOn(IOException.class::isInstance).singleElement()
          .isInstanceOf(ConnectException.class);
      assertThat(outcomes).filteredOn(StockReply.class::isInstance).singleElement()
          .satisfies(reply -> assertThat(((StockReply) reply).tried()).containsExactly("live"));
    }
  }

  @Test
  void withTwoAttemptsTheSameCallFailsOverToTheLiveInstance() {
    InventoryBackend dead = backend("dead", Duration.ZERO);
    backend("live", Duration.ZERO);
    dead.close();

    try (InventoryClient client = new InventoryClient(config(backends, 2, 2_000))) {
      List<Object> outcomes = outcomes(client, 2);

      assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(StockReply.class));
      assertTriedOnlyThenFailedOver(outcomes, "live", "dead");
      assertThat(outcomes).extracting(outcome -> ((StockReply) outcome).servedBy()).containsOnly("live");
    }
  }

  @Test
  void theTimeoutCutsASlowAttemptAndTheRetryGoesElsewhere() {
    backend("slow", Duration.ofSeconds(10));
    backend("fast", Duration.ZERO);

    try (InventoryClient client = new InventoryClient(config(backends, 1, 200))) {
      assertThat(outcomes(client, 2)).filteredOn(IOException.class::isInstance).singleElement()
          .isInstanceOf(SocketTimeoutException.class);
    }
    try (InventoryClient client = new InventoryClient(config(backends, 2, 200))) {
      assertTriedOnlyThenFailedOver(outcomes(client, 2), "fast", "slow");
    }
  }

  /**
   * Each call either went straight to {@code good} or tried {@code bad} first, and at least one
   * did: round robin offers each of two instances first in one of two consecutive calls.
   */
  private static void assertTriedOnlyThenFailedOver(List<Object> outcomes, String good, String bad) {
    assertThat(outcomes).extracting(outcome -> ((StockReply) outcome).tried())
        .allSatisfy(tried -> assertThat(tried).isIn(List.of(good), List.of(bad, good)))
        .contains(List.of(bad, good));
  }

  @Test
  void aCallStopsRetryingWhenNoUntriedInstanceIsLeft() {
    InventoryBackend dead = backend("dead", Duration.ZERO);
    dead.close();

    try (InventoryClient client = new InventoryClient(config(backends, 3, 2_000))) {
      // Three attempts allowed, but the only instance was tried: the call ends after one.
      assertThatThrownBy(() -> client.stock("sku-1")).isInstanceOf(ConnectException.class)
          .satisfies(e -> assertThat(CallTrace.of(e).orElseThrow().attempts())
              .extracting(attempt -> attempt.endpoint().id()).containsExactly("dead"));
    }
  }
}
