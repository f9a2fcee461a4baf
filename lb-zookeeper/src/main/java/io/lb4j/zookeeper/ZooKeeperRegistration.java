package io.lb4j.zookeeper;

import io.lb4j.core.Endpoint;
import io.lb4j.core.internal.Arguments;
import io.lb4j.zookeeper.internal.ServiceInstanceJson;
import io.lb4j.zookeeper.internal.ZooKeeperPaths;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;

/**
 * A service instance announcing itself in ZooKeeper: an ephemeral node {@code
 * <basePath>/<service>/<id>} in the Curator service-discovery layout, with a Spring Cloud Zookeeper
 * payload ({@code metadata} plus {@code instance_status: UP}), so lb4j's {@link
 * ZooKeeperServerList}, Curator's {@code ServiceDiscovery} and Spring Cloud Zookeeper clients all
 * see it. The node lives as long as the client's session and this registration: if the session
 * expires, ZooKeeper deletes it and the registration creates it again once reconnected (Curator's
 * {@code PersistentNode} recipe); {@link #close()} deletes it for good.
 *
 * <pre>{@code
 * try (ZooKeeperRegistration registration = ZooKeeperRegistration.builder(client, "orders")
 *     .address("10.0.0.7").port(8080).weight(2).register()) {
 *   ... serve ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. The Curator client is the caller's: it must be started before {@link
 * Builder#register()} and stay open until {@link #close()}.
 */
public final class ZooKeeperRegistration implements AutoCloseable {
  private final PersistentNode node;
  private final String id;

  private ZooKeeperRegistration(PersistentNode node, String id) {
    this.node = node;
    this.id = id;
  }

  /** A builder registering an instance of {@code service} through {@code client}. */
  public static Builder builder(CuratorFramework client, String service) {
    return new Builder(client, service);
  }

  /** The instance id: the node's name. */
  public String id() {
    return id;
  }

  /** The instance node's full path. */
  public String path() {
    return node.getActualPath();
  }

  /**
   * Deletes the instance node (clients following the service drop the instance) and stops
   * re-creating it. Closing twice is harmless.
   *
   * @throws IOException if ZooKeeper could not be told; the node then disappears with the session
   */
  @Override
  public void close() throws IOException {
    node.close();
  }

  @Override
  public String toString() {
    return "ZooKeeperRegistration{" + node.getActualPath() + "}";
  }

  /** Builds and performs a registration; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private final CuratorFramework client;
    private final String service;
    private String basePath = ZooKeeperPaths.DEFAULT_BASE_PATH;
    private String id = UUID.randomUUID().toString();
    private String address;
    private int port;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();

    private Builder(CuratorFramework client, String service) {
      this.client = Objects.requireNonNull(client, "client");
      this.service = ZooKeeperPaths.validNodeName(service, "service");
    }

    /** The node under which services are registered; {@code /services} by default. */
    public Builder basePath(String basePath) {
      this.basePath = ZooKeeperPaths.validBasePath(basePath);
      return this;
    }

    /** The instance id and node name; a random UUID by default, as Curator's. */
    public Builder id(String id) {
      this.id = ZooKeeperPaths.validNodeName(id, "id");
      return this;
    }

    /** The host or IP clients connect to; required, non-blank. */
    public Builder address(String address) {
      Objects.requireNonNull(address, "address");
      if (address.isBlank()) {
        throw new IllegalArgumentException("address must not be blank, was '" + address + "'");
      }
      this.address = address;
      return this;
    }

    /** The port clients connect to; required, in [1, 65535]. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be in [1, 65535], was " + port);
      }
      this.port = port;
      return this;
    }

    /** The share of traffic weight-aware algorithms give it, in [1, Endpoint.MAX_WEIGHT]; 1 if unset. */
    public Builder weight(int weight) {
      if (weight < 1 || weight > Endpoint.MAX_WEIGHT) {
        throw new IllegalArgumentException(
            "weight must be in [1, " + Endpoint.MAX_WEIGHT + "], was " + weight);
      }
      return metadata(ServiceInstanceJson.WEIGHT_KEY, Integer.toString(weight));
    }

    /** The instance's zone, for zone preference. */
    public Builder zone(String zone) {
      return metadata(ServiceInstanceJson.ZONE_KEY, zone);
    }

    /**
     * A payload metadata entry (Spring Cloud Zookeeper's {@code metadata}); the status key {@code
     * instance_status} is reserved, always {@code UP} while registered.
     */
    public Builder metadata(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (key.equals(ServiceInstanceJson.STATUS_KEY)) {
        throw new IllegalArgumentException("metadata key '" + key + "' is reserved");
      }
      metadata.put(key, value);
      return this;
    }

    /** How long {@link #register()} waits for the node to be created; positive, 10 s by default. */
    public Builder timeout(Duration timeout) {
      this.timeout = Arguments.positive(timeout, "timeout");
      return this;
    }

    /** The clock stamping {@code registrationTimeUTC}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Creates the ephemeral node and waits until ZooKeeper has it.
     *
     * @throws IllegalStateException if address or port is unset, or the node was not created within
     *     the timeout (nothing stays registered then)
     * @throws InterruptedException if interrupted while waiting
     */
    public ZooKeeperRegistration register() throws InterruptedException {
      if (address == null || port == 0) {
        throw new IllegalStateException("address and port are required, were " + address + ":" + port);
      }
      String path = ZKPaths.makePath(ZooKeeperPaths.service(basePath, service), id);
      byte[] json = ServiceInstanceJson.write(service, id, address, port, metadata,
          clock.millis());
      PersistentNode node = new PersistentNode(client, CreateMode.EPHEMERAL, false, path, json);
      node.start();
      if (!node.waitForInitialCreate(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        try {
          node.close();
        } catch (IOException e) {
          // The node was never created; nothing to undo.
        }
        throw new IllegalStateException("registration " + path + " not created within " + timeout);
      }
      return new ZooKeeperRegistration(node, id);
    }
  }
}
