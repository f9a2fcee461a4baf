package io.lb4j.zookeeper.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lb4j.core.Endpoint;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes the JSON of one Curator service-discovery instance node ({@code
 * <base>/<service>/<id>}), as {@code curator-x-discovery}'s {@code JsonInstanceSerializer} and Spring
 * Cloud Zookeeper write it. Parsed as a tree, so a {@code payload} whose class is not on this
 * classpath (Spring's {@code ZookeeperInstance}, an application's own type) is still readable —
 * the reason lb4j does not use Curator's serializer. Stateless and thread-safe.
 */
public final class ServiceInstanceJson {
  /** Spring Cloud Zookeeper's status key in the payload metadata; only {@value #STATUS_UP} serves. */
  public static final String STATUS_KEY = "instance_status";
  /** The one status that takes traffic (compared ignoring case). */
  public static final String STATUS_UP = "UP";
  /** The metadata key of the weight, as Spring Cloud LoadBalancer's weighted supplier reads it. */
  public static final String WEIGHT_KEY = "weight";
  /** The metadata key of the zone, as Spring Cloud LoadBalancer's zone preference reads it. */
  public static final String ZONE_KEY = "zone";
  /** Endpoint metadata key holding the instance's Curator id. */
  public static final String ID_METADATA_KEY = "zookeeper.id";

  private static final String SPRING_PAYLOAD_CLASS =
      "org.springframework.cloud.zookeeper.discovery.ZookeeperInstance";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ServiceInstanceJson() {}

  /**
   * The endpoint {@code json} describes, or empty if the instance is registered but must not take
   * traffic ({@code "enabled": false}, or an {@code instance_status} other than {@code UP}).
   *
   * @throws IllegalArgumentException naming what is wrong if the JSON is malformed: not an object,
   *     no {@code address}, no usable {@code port}/{@code sslPort}, a weight that is not a number in
   *     range
   */
  public static Optional<Endpoint> parse(byte[] json) {
    JsonNode root = readTree(json);
    if (!root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    Map<String, String> metadata = metadata(root.path("payload").path("metadata"));
    if (root.path("enabled").isBoolean() && !root.path("enabled").booleanValue()) {
      return Optional.empty();
    }
    String status = metadata.get(STATUS_KEY);
    if (status != null && !status.equalsIgnoreCase(STATUS_UP)) {
      return Optional.empty();
    }
    String address = root.path("address").isTextual() ? root.path("address").textValue() : "";
    if (address.isBlank()) {
      throw new IllegalArgumentException("no address");
    }
    Endpoint.Builder endpoint = Endpoint.builder(address, port(root));
    String weight = metadata.get(WEIGHT_KEY);
    if (weight != null) {
      endpoint.weight(parseWeight(weight));
    }
    String zone = metadata.get(ZONE_KEY);
    if (zone != null) {
      endpoint.zone(zone);
    }
    metadata.forEach(endpoint::metadata);
    if (root.path("id").isTextual()) {
      endpoint.metadata(ID_METADATA_KEY, root.path("id").textValue());
    }
    return Optional.of(endpoint.build());
  }

  /**
   * The JSON of an instance in the Curator layout, with a Spring Cloud Zookeeper payload ({@code
   * ZookeeperInstance} carrying {@code metadata} plus {@code instance_status: UP}), so Curator,
   * Spring Cloud Zookeeper and lb4j clients all read it.
   */
  public static byte[] write(String service, String id, String address, int port,
      Map<String, String> metadata, long registrationTimeUtc) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("name", service);
    root.put("id", id);
    root.put("address", address);
    root.put("port", port);
    root.putNull("sslPort");
    ObjectNode payload = root.putObject("payload");
    payload.put("@class", SPRING_PAYLOAD_CLASS);
    payload.put("id", id);
    payload.put("name", service);
    ObjectNode meta = payload.putObject("metadata");
    metadata.forEach(meta::put);
    meta.put(STATUS_KEY, STATUS_UP);
    root.put("registrationTimeUTC", registrationTimeUtc);
    root.put("serviceType", "DYNAMIC");
    root.putNull("uriSpec");
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write instance JSON for " + id, e);
    }
  }

  private static JsonNode readTree(byte[] json) {
    if (json == null || json.length == 0) {
      throw new IllegalArgumentException("no data");
    }
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("unparseable JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable JSON: " + e.getMessage(), e);
    }
  }

  // Curator writes "port" for plain and "sslPort" for TLS; an instance with only the latter is
  // reached on it.
  private static int port(JsonNode root) {
    for (String field : new String[] {"port", "sslPort"}) {
      JsonNode port = root.path(field);
      if (port.isIntegralNumber() && port.canConvertToInt()) {
        return port.intValue();
      }
      if (!port.isMissingNode() && !port.isNull()) {
        throw new IllegalArgumentException(field + " must be an integer, was " + port);
      }
    }
    throw new IllegalArgumentException("no port or sslPort");
  }

  private static int parseWeight(String weight) {
    try {
      return Integer.parseInt(weight.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("metadata weight must be an integer, was '" + weight + "'");
    }
  }

  private static Map<String, String> metadata(JsonNode metadata) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : metadata.properties()) {
      if (field.getValue().isValueNode() && !field.getValue().isNull()) {
        values.put(field.getKey(), field.getValue().asText());
      }
    }
    return values;
  }
}
