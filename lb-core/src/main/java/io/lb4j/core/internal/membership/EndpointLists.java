package io.lb4j.core.internal.membership;

import io.lb4j.core.Endpoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Validation shared by every server list. */
public final class EndpointLists {
  private EndpointLists() {}

  /**
   * An unmodifiable copy of {@code endpoints}, after checking it has no null and no duplicate id.
   *
   * @throws IllegalArgumentException naming the duplicated id
   */
  public static List<Endpoint> validated(List<Endpoint> endpoints) {
    Objects.requireNonNull(endpoints, "endpoints");
    Map<String, Endpoint> byId = new HashMap<>(endpoints.size() * 2);
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint endpoint = endpoints.get(i);
      if (endpoint == null) {
        throw new NullPointerException("endpoints[" + i + "]");
      }
      Endpoint previous = byId.putIfAbsent(endpoint.id(), endpoint);
      if (previous != null) {
        throw new IllegalArgumentException(
            "duplicate endpoint id '" + endpoint.id() + "': " + previous + " and " + endpoint);
      }
    }
    return List.copyOf(endpoints);
  }
}
