package io.lb4j.consul.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lb4j.consul.ConsulServerList;
import io.lb4j.core.Endpoint;
import io.lb4j.core.discovery.RegistryAnswer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the answer of {@code GET /v1/health/service/<name>}: a JSON array of {@code {Node,
 * Service, Checks}} entries. Each entry becomes one endpoint: host {@code Service.Address}, or
 * {@code Node.Address} when that is empty (Consul's own rule for services registered without an
 * address); port {@code Service.Port}; weight {@code Weights.Passing} (1 when absent, as for
 * services registered before Consul 1.2.3); metadata {@code Service.Meta} plus {@code consul.id},
 * {@code consul.node} and {@code consul.tags}. An entry that cannot become an endpoint is skipped
 * with a WARN naming it; a body that is not a JSON array fails the whole query.
 *
 * <p>Jackson's tree model rather than data binding: Consul adds fields between versions, and a
 * tree reads only what lb4j needs without classes that break on them. Thread-safe.
 */
public final class HealthServiceParser {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String source;

  /** @param source names the source in WARN messages about skipped entries */
  public HealthServiceParser(String source) {
    this.source = source;
  }

  /** The answer in {@code body}; {@link IOException} if it is not a JSON array. */
  public RegistryAnswer.Builder parse(String body) throws IOException {
    JsonNode root = MAPPER.readTree(body);
    if (root == null || !root.isArray()) {
      throw new IOException("expected a JSON array from the health API, got "
          + (root == null ? "an empty body" : root.getNodeType()));
    }
    RegistryAnswer.Builder answer = RegistryAnswer.builder(source);
    List<JsonNode> entries = new ArrayList<>();
    root.forEach(entries::add);
    for (int i = 0; i < entries.size(); i++) {
      JsonNode entry = entries.get(i);
      answer.add(describe(entry, i), () -> endpoint(entry));
    }
    return answer;
  }

  private static String describe(JsonNode entry, int position) {
    return "#" + position + " (Service.ID '" + entry.path("Service").path("ID").asText("?")
        + "' on node '" + entry.path("Node").path("Node").asText("?") + "')";
  }

  private static Endpoint endpoint(JsonNode entry) {
    JsonNode service = entry.path("Service");
    if (!service.isObject()) {
      throw new IllegalArgumentException("Service is missing or not an object");
    }
    JsonNode node = entry.path("Node");
    String host = text(service, "Address");
    if (host.isBlank()) {
      host = text(node, "Address");
    }
    if (host.isBlank()) {
      throw new IllegalArgumentException("neither Service.Address nor Node.Address is set");
    }
    Endpoint.Builder endpoint = Endpoint.builder(host, integer(service.path("Port"), "Service.Port"))
        .weight(weight(service.path("Weights").path("Passing")));
    for (Map.Entry<String, JsonNode> field : service.path("Meta").properties()) {
      if (field.getValue().isTextual()) {
        endpoint.metadata(field.getKey(), field.getValue().asText());
      }
    }
    List<String> tags = new ArrayList<>();
    service.path("Tags").forEach(tag -> tags.add(tag.asText()));
    String id = text(service, "ID");
    if (!id.isEmpty()) {
      endpoint.metadata(ConsulServerList.ID_METADATA, id);
    }
    String nodeName = text(node, "Node");
    if (!nodeName.isEmpty()) {
      endpoint.metadata(ConsulServerList.NODE_METADATA, nodeName);
    }
    if (!tags.isEmpty()) {
      endpoint.metadata(ConsulServerList.TAGS_METADATA, String.join(",", tags));
    }
    return endpoint.build();
  }

  private static int weight(JsonNode passing) {
    return passing.isMissingNode() || passing.isNull() ? 1 : integer(passing, "Weights.Passing");
  }

  private static int integer(JsonNode value, String field) {
    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
      throw new IllegalArgumentException(
          field + " must be an integer, was " + (value.isMissingNode() ? "missing" : value));
    }
    return value.intValue();
  }

  private static String text(JsonNode object, String field) {
    JsonNode value = object.path(field);
    return value.isTextual() ? value.asText() : "";
  }
}
