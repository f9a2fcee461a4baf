package io.lb4j.core;

import io.lb4j.core.internal.HostSyntax;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One instance of a service that calls can be sent to: an immutable value.
 *
 * <p>The {@code id} identifies the endpoint across server-list changes and across client processes
 * (hash-based algorithms hash it), so it defaults to {@code host:port}. Two endpoints are equal when
 * all their fields are equal.
 *
 * <p>Construction validates every field and fails with {@link IllegalArgumentException} naming the
 * bad value, or {@link NullPointerException} naming a missing one. {@code zone} is never null: the
 * empty string means "no zone". {@code metadata} is an unmodifiable copy.
 *
 * <p>{@code host} is a DNS name, an IPv4 address or an IPv6 literal (given with or without brackets,
 * kept without them); a scheme, port, path, space or malformed address is refused. In the default
 * id and in {@link #address()} an IPv6 host is bracketed: {@code [::1]:8080}.
 *
 * @param id unique within a server list; non-blank; defaults to {@link #address()}
 * @param host DNS name, IPv4 address or IPv6 literal (without brackets)
 * @param port 1 to 65535
 * @param weight relative share of traffic for weight-aware algorithms; at least 1
 * @param zone locality label (for zone preference), or empty
 * @param metadata free-form labels, e.g. a version or a canary flag
 */
public record Endpoint(
    String id, String host, int port, int weight, String zone, Map<String, String> metadata) {

  /** Upper bound on {@link #weight()}, so that weight sums over large fleets fit in an int. */
  public static final int MAX_WEIGHT = 10_000;

  /**
   * Validates every component; {@link #of} and {@link #builder} are the usual ways in.
   *
   * @throws NullPointerException if {@code id}, {@code host}, {@code zone} or {@code metadata} is null
   * @throws IllegalArgumentException if the host is blank or not a DNS name, IPv4 or IPv6 literal,
   *     the port is outside [1, 65535], the id is blank or the weight outside [1, {@value #MAX_WEIGHT}];
   *     the message names the value
   */
  public Endpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(metadata, "metadata");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank, was '" + host + "'");
    }
    host = HostSyntax.canonical(host);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "port must be in [1, 65535], was " + port + " for host " + host);
    }
    if (id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank, was '" + id + "' for " + host + ":" + port);
    }
    if (weight < 1 || weight > MAX_WEIGHT) {
      throw new IllegalArgumentException(
          "weight must be in [1, " + MAX_WEIGHT + "], was " + weight + " for endpoint " + id);
    }
    metadata = Map.copyOf(metadata);
  }

  /** An endpoint with id {@code host:port}, weight 1, no zone and no metadata. */
  public static Endpoint of(String host, int port) {
    return builder(host, port).build();
  }

  /** A builder starting from {@code host:port}, weight 1, no zone, no metadata. */
  public static Builder builder(String host, int port) {
    return new Builder(host, port);
  }

  /** A builder holding this endpoint's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder builder = new Builder(host, port).id(id).weight(weight).zone(zone);
    builder.metadata.putAll(metadata);
    return builder;
  }

  /** {@code host:port} ({@code [host]:port} for IPv6), the address calls are sent to. */
  public String address() {
    return HostSyntax.address(host, port);
  }

  @Override
  public String toString() {
    return id.equals(address())
        ? "Endpoint{" + id + ", weight=" + weight + (zone.isEmpty() ? "" : ", zone=" + zone) + "}"
        : "Endpoint{" + id + " @ " + address() + ", weight=" + weight
            + (zone.isEmpty() ? "" : ", zone=" + zone) + "}";
  }

  /** Builds an {@link Endpoint}; not thread-safe. Validation happens in {@link #build()}. */
  public static final class Builder {
    private final String host;
    private final int port;
    private String id;
    private int weight = 1;
    private String zone = "";
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private Builder(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      this.port = port;
    }

    /** Overrides the default id {@code host:port}. */
    public Builder id(String id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    /** The endpoint's weight, in [1, {@value Endpoint#MAX_WEIGHT}] (checked by {@link #build()}); default 1. */
    public Builder weight(int weight) {
      this.weight = weight;
      return this;
    }

    /** The endpoint's locality (region, zone, rack); empty for none. */
    public Builder zone(String zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /** Adds one metadata entry (replacing an earlier value of {@code key}); neither may be null. */
    public Builder metadata(String key, String value) {
      metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * The endpoint; its id defaults to {@code host:port} ({@code [host]:port} for IPv6).
     *
     * @throws IllegalArgumentException as the record's constructor does
     */
    public Endpoint build() {
      if (id != null) {
        return new Endpoint(id, host, port, weight, zone, metadata);
      }
      String canonicalHost = host.isBlank() ? host : HostSyntax.canonical(host);
      return new Endpoint(HostSyntax.address(canonicalHost, port), host, port, weight, zone, metadata);
    }
  }
}
