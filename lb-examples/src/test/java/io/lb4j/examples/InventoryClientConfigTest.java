package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.Pick;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class InventoryClientConfigTest {

  private static Properties properties(String instances) {
    Properties properties = InventoryClientConfig.loadResource("/inventory-client.properties");
    properties.setProperty("inventory.instances", instances);
    return properties;
  }

  @Test
  void readsTheShippedFileWithInstancesZonesAndWeights() {
    InventoryClientConfig config = InventoryClientConfig.fromProperties(properties(
        "10.0.1.5:8080;id=inventory-1;zone=eu-west-1a, 10.0.2.7:8081;zone=eu-west-1b;weight=3,10.0.3.9:80"));

    assertThat(config.service()).isEqualTo("inventory");
    assertThat(config.algorithm().name()).isEqualTo("round-robin");
    assertThat(config.zone()).isEqualTo("eu-west-1a");
    assertThat(config.timeout()).isEqualTo(Duration.ofMillis(2000));
    assertThat(config.maxAttempts()).isEqualTo(3);
    assertThat(config.instances()).containsExactly(
        Endpoint.builder("10.0.1.5", 8080).id("inventory-1").zone("eu-west-1a").build(),
        Endpoint.builder("10.0.2.7", 8081).zone("eu-west-1b").weight(3).build(),
        Endpoint.of("10.0.3.9", 80));
  }

  @Test
  void theLoadBalancerIsNamedForTheServiceAndHoldsTheInstances() {
    InventoryClientConfig config = InventoryClientConfig.fromProperties(properties("10.0.1.5:8080, 10.0.2.7:8080"));

    try (LoadBalancer lb = config.newLoadBalancer()) {
      assertThat(lb.name()).isEqualTo("inventory");
      assertThat(lb.algorithm().name()).isEqualTo("round-robin");
      assertThat(lb.endpoints()).isEqualTo(config.instances());
      Pick pick = lb.pick();
      assertThat(pick.endpoint()).isIn(config.instances());
      pick.complete(true, 1_000_000);
    }
  }

  @Test
  void theLoadBalancerKeepsCallsInTheClientsZone() {
    InventoryClientConfig config = InventoryClientConfig.fromProperties(
        properties("10.0.1.5:8080;zone=eu-west-1a, 10.0.2.7:8080;zone=eu-west-1b"));

    try (LoadBalancer lb = config.newLoadBalancer()) {
      for (int i = 0; i < 10; i++) {
        Pick pick = lb.pick();
        assertThat(pick.endpoint().zone()).isEqualTo("eu-west-1a");
        pick.complete(true, 1_000_000);
      }
    }
  }

  @Test
  void badValuesFailAtStartUpNamingPropertyAndValue() {
    assertThatThrownBy(() -> InventoryClientConfig.fromProperties(properties("10.0.1.5")))
        .hasMessage("inventory.instances entry must be host:port[;id=NAME][;zone=Z][;weight=W], was '10.0.1.5'");
    assertThatThrownBy(() -> InventoryClientConfig.fromProperties(properties("10.0.1.5:http")))
        .hasMessage("inventory.instances port must be an integer, was 'http' in '10.0.1.5:http'");
    assertThatThrownBy(() -> InventoryClientConfig.fromProperties(properties("10.0.1.5:0")))
        .hasMessage("port must be in [1, 65535], was 0 for host 10.0.1.5");
    assertThatThrownBy(() -> InventoryClientConfig.fromProperties(properties("10.0.1.5:80;rack=7")))
        .hasMessage("inventory.instances entry has unknown attribute 'rack=7' in '10.0.1.5:80;rack=7'");
    assertThatThrownBy(() -> InventoryClientConfig.fromProperties(properties("10.0.1.5:80;weight=0")))
        .hasMessage("weight must be in [1, 10000], was 0 for endpoint 10.0.1.5:80");
    assertThatThrownBy(() -> InventoryClientConfig.fromProperties(properties(" , ")))
        .hasMessage("inventory.instances must list at least one host:port, was empty");
    assertThatThrownBy(() -> InventoryClientConfig.fromProperties(properties("")))
        .hasMessage("inventory.instances is required, was blank");
  }

  @Test
  void unknownAlgorithmNamesTheKnownOnes() {
    Properties properties = properties("10.0.1.5:80");
    properties.setProperty("inventory.algorithm", "round-robbin");

    assertThatThrownBy(() -> InventoryClientConfig.fromProperties(properties))
        .hasMessage("algorithm must be one of " + LabAlgorithms.names() + ", was 'round-robbin'");
  }

  @Test
  void attemptsAndTimeoutAreBounded() {
    Properties attempts = properties("10.0.1.5:80");
    attempts.setProperty("inventory.max-attempts", "0");
    Properties timeout = properties("10.0.1.5:80");
    timeout.setProperty("inventory.timeout-ms", "0");
    Properties missing = properties("10.0.1.5:80");
    missing.remove("inventory.service");

    assertThatThrownBy(() -> InventoryClientConfig.fromProperties(attempts))
        .hasMessage("inventory.max-attempts must be >= 1, was 0");
    assertThatThrownBy(() -> InventoryClientConfig.fromProperties(timeout))
        .hasMessage("inventory.timeout-ms must be > 0, was 0");
    assertThatThrownBy(() -> InventoryClientConfig.fromProperties(missing))
        .hasMessage("inventory.service is required, was missing");
  }
}
