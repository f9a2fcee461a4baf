package io.lb4j.examples;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.ServerList;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * How the orders service reaches the inventory service, read from {@code inventory.*} properties
 * (see {@code inventory-client.properties}): the service name, its instances with zones and
 * weights, the algorithm, this client's zone, the per-attempt timeout and the attempt budget.
 *
 * <p>Immutable. {@link #fromProperties} validates everything at start-up and fails with an
 * {@link IllegalArgumentException} naming the property and the value, so a typo stops the service
 * at boot rather than on the first order.
 *
 * @param service logical name of the called service, used as the balancer's name
 * @param instances the service's instances; at least one
 * @param algorithm how to pick among them
 * @param zone the zone this client runs in, whose instances it prefers; empty for no preference
 * @param timeout per-attempt connect and response timeout
 * @param maxAttempts instances one call may try, at least 1
 */
public record InventoryClientConfig(
    String service, List<Endpoint> instances, Algorithm algorithm, String zone, Duration timeout, int maxAttempts) {

  static final String PREFIX = "inventory.";

  public InventoryClientConfig {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(timeout, "timeout");
    instances = List.copyOf(instances);
    if (instances.isEmpty()) {
      throw new IllegalArgumentException(PREFIX + "instances must list at least one host:port, was empty");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(PREFIX + "timeout-ms must be > 0, was " + timeout.toMillis());
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(PREFIX + "max-attempts must be >= 1, was " + maxAttempts);
    }
  }

  /** Reads {@code resource} from the class path, e.g. {@code "/inventory-client.properties"}. */
  public static Properties loadResource(String resource) {
    Properties properties = new Properties();
    try (InputStream in = InventoryClientConfig.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("resource not found on the class path: " + resource);
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + resource, e);
    }
    return properties;
  }

  /**
   * Builds the configuration from {@code inventory.*} properties.
   *
   * @throws IllegalArgumentException naming the property and value that is missing or malformed
   */
  public static InventoryClientConfig fromProperties(Properties properties) {
    String service = required(properties, "service");
    String instances = required(properties, "instances");
    return new InventoryClientConfig(
        service,
        parseInstances(instances),
        LabAlgorithms.byName(required(properties, "algorithm")),
        properties.getProperty(PREFIX + "zone", "").trim(),
        Duration.ofMillis(intProperty(properties, "timeout-ms", 1_000)),
        intProperty(properties, "max-attempts", 2));
  }

  /**
   * A balancer over the configured instances, preferring those in this client's zone while enough
   * of them are healthy, with default outlier detection; the caller closes it.
   */
  public LoadBalancer newLoadBalancer() {
    return LoadBalancer.builder(ServerList.of(instances))
        .name(service)
        .algorithm(algorithm)
        .localZone(zone)
        .build();
  }

  private static List<Endpoint> parseInstances(String value) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (String instance : value.split(",")) {
      if (!instance.isBlank()) {
        endpoints.add(parseInstance(instance.trim()));
      }
    }
    return endpoints;
  }

  /** {@code host:port[;id=NAME][;zone=Z][;weight=W]}. */
  private static Endpoint parseInstance(String instance) {
    String[] parts = instance.split(";");
    int colon = parts[0].lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          PREFIX + "instances entry must be host:port[;id=NAME][;zone=Z][;weight=W], was '" + instance + "'");
    }
    Endpoint.Builder builder = Endpoint.builder(
        parts[0].substring(0, colon), parseInt("instances port", parts[0].substring(colon + 1), instance));
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].trim();
      if (part.startsWith("id=")) {
        builder.id(part.substring("id=".length()));
      } else if (part.startsWith("zone=")) {
        builder.zone(part.substring("zone=".length()));
      } else if (part.startsWith("weight=")) {
        builder.weight(parseInt("instances weight", part.substring("weight=".length()), instance));
      } else {
        throw new IllegalArgumentException(
            PREFIX + "instances entry has unknown attribute '" + part + "' in '" + instance + "'");
      }
    }
    return builder.build();
  }

  private static String required(Properties properties, String key) {
    String value = properties.getProperty(PREFIX + key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(PREFIX + key + " is required, was " + (value == null ? "missing" : "blank"));
    }
    return value.trim();
  }

  private static int intProperty(Properties properties, String key, int fallback) {
    String value = properties.getProperty(PREFIX + key);
    return value == null ? fallback : parseInt(key, value.trim(), value);
  }

  private static int parseInt(String what, String text, String in) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PREFIX + what + " must be an integer, was '" + text + "' in '" + in + "'");
    }
  }
}
