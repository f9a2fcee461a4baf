package io.lb4j.zookeeper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceInstanceJsonTest {

  private static Optional<Endpoint> parse(String json) {
    return ServiceInstanceJson.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void curatorInstanceWithoutPayloadIsItsAddressAndPortAtWeightOne() {
    assertThat(parse("{\"name\":\"orders\",\"id\":\"i-1\",\"address\":\"10.0.0.1\",\"port\":8080,"
        + "\"sslPort\":null,\"payload\":null,\"registrationTimeUTC\":1,\"serviceType\":\"DYNAMIC\","
        + "\"uriSpec\":null}"))
        .contains(Endpoint.builder("10.0.0.1", 8080).metadata("zookeeper.id", "i-1").build());
  }

  @Test
  void sslPortIsUsedOnlyWithoutAPort() {
    assertThat(parse("{\"address\":\"h\",\"port\":8080,\"sslPort\":8443}")).get()
        .extracting(Endpoint::port).isEqualTo(8080);
    assertThat(parse("{\"address\":\"h\",\"port\":null,\"sslPort\":8443}")).get()
        .extracting(Endpoint::port).isEqualTo(8443);
  }

  @Test
  void statusOtherThanUpOrDisabledMeansNoTrafficWhileUpInAnyCaseServes() {
    assertThat(parse("{\"address\":\"h\",\"port\":1,\"payload\":{\"metadata\":"
        + "{\"instance_status\":\"OUT_OF_SERVICE\"}}}")).isEmpty();
    assertThat(parse("{\"address\":\"h\",\"port\":1,\"enabled\":false}")).isEmpty();
    assertThat(parse("{\"address\":\"h\",\"port\":1,\"payload\":{\"metadata\":"
        + "{\"instance_status\":\"up\"}}}")).isPresent();
  }

  @Test
  void metadataScalarsBecomeEndpointMetadataAndNestedValuesAreIgnored() {
    Endpoint endpoint = parse("{\"address\":\"h\",\"port\":1,\"payload\":{\"metadata\":"
        + "{\"weight\":\"7\",\"zone\":\"z1\",\"canary\":true,\"nested\":{\"a\":1},\"gone\":null}}}")
        .orElseThrow();
    assertThat(endpoint.weight()).isEqualTo(7);
    assertThat(endpoint.zone()).isEqualTo("z1");
    assertThat(endpoint.metadata()).containsOnly(Map.entry("weight", "7"), Map.entry("zone", "z1"),
        Map.entry("canary", "true"));
  }

  @Test
  void malformedInstancesFailNamingWhatIsWrong() {
    assertThatThrownBy(() -> parse("[1, 2]")).hasMessage("not a JSON object");
    assertThatThrownBy(() -> parse("{\"address\":")).hasMessageStartingWith("unparseable JSON: ");
    assertThatThrownBy(() -> ServiceInstanceJson.parse(new byte[0])).hasMessage("no data");
    assertThatThrownBy(() -> parse("{\"port\":1}")).hasMessage("no address");
    assertThatThrownBy(() -> parse("{\"address\":\"h\"}")).hasMessage("no port or sslPort");
    assertThatThrownBy(() -> parse("{\"address\":\"h\",\"port\":\"8080\"}"))
        .hasMessage("port must be an integer, was \"8080\"");
    assertThatThrownBy(() -> parse("{\"address\":\"h\",\"port\":4294975376}"))
        .hasMessage("port must be an integer, was 4294975376");
    assertThatThrownBy(() -> parse("{\"address\":\"h\",\"port\":70000}"))
        .hasMessage("port must be in [1, 65535], was 70000 for host h");
    assertThatThrownBy(() -> parse("{\"address\":\"h\",\"port\":1,\"payload\":{\"metadata\":"
        + "{\"weight\":\"heavy\"}}}")).hasMessage("metadata weight must be an integer, was 'heavy'");
    assertThatThrownBy(() -> parse("{\"address\":\"h\",\"port\":1,\"payload\":{\"metadata\":"
        + "{\"weight\":\"0\"}}}")).hasMessageStartingWith("weight must be in [1, 10000], was 0");
  }

  @Test
  void writtenInstanceReadsBackWithStatusUp() {
    byte[] json = ServiceInstanceJson.write("orders", "i-9", "10.0.0.9", 9090,
        Map.of("weight", "4"), 1_700_000_000_000L);
    assertThat(ServiceInstanceJson.parse(json)).contains(Endpoint.builder("10.0.0.9", 9090)
        .weight(4).metadata("weight", "4").metadata("instance_status", "UP")
        .metadata("zookeeper.id", "i-9").build());
    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"serviceType\":\"DYNAMIC\"", "\"registrationTimeUTC\":1700000000000",
            "\"@class\":\"org.springframework.cloud.zookeeper.discovery.ZookeeperInstance\"");
  }
}
