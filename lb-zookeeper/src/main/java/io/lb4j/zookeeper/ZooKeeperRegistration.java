package io.lb4j.zookeeper;

import io.lb4j.core.Endpoint;
import io.lb4j.zookeeper.internal.ServiceInstanceJson;
import io.lb4j.zookeeper.internal.ZooKeeperPaths;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service instance announcing itself in ZooKeeper: an ephemeral node {@code
 * <basePath>/<service>/<id>} in the Curator service-discovery layout, with a Spring Cloud Zookeeper
 * payload ({@code metadata} plus {@code instance_status: UP}), so lb4j's {@link
 * ZooKeeperServerList}, Curator's {@code ServiceDiscovery} and Spring Cloud Zookeeper clients all
 * see it. The node lives as long as the client's session and this registration: if the session
 * expires, ZooKeeper deletes it and the registration creates it again once the client has
 * reconnected with a new session (as Curator's {@code ServiceDiscovery} re-registers);
 * {@link #close()} deletes it for good.
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
  private static final Logger log = LoggerFactory.getLogger(ZooKeeperRegistration.class);

  private final CuratorFramework client;
  private final String path;
  private final String id;
  private final byte[] json;
  private final ConnectionStateListener reRegistration = (c, state) -> {
    if (state == ConnectionState.RECONNECTED) {
      ensureRegistered();
    }
  };
  private final Object lock = new Object();
  private boolean closed;

  private ZooKeeperRegistration(CuratorFramework client, String path, String id, byte[] json) {
    this.client = client;
    this.path = path;
    this.id = id;
    this.json = json;
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
    return path;
  }

  /** Creates the node; a node left at the path by an earlier session is replaced. */
  private void create() throws Exception {
    try {
      client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
          .forPath(path, json);
    } catch (KeeperException.NodeExistsException e) {
      client.delete().forPath(path);
      client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
          .forPath(path, json);
    }
  }

  // After a reconnection the node is ours if our session survived; otherwise it is gone, or still
  // held by the expiring old session (and would vanish with it): create it anew.
  private void ensureRegistered() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      try {
        Stat stat = client.checkExists().forPath(path);
        long session = client.getZookeeperClient().getZooKeeper().getSessionId();
        if (stat == null || stat.getEphemeralOwner() != session) {
          create();
          log.info("re-registered {} after the ZooKeeper session was renewed", path);
        }
      } catch (Exception e) {
        log.warn("could not re-register {}; retrying at the next reconnection: {}", path, e.toString());
      }
    }
  }

  /**
   * Deletes the instance node (clients following the service drop the instance) and stops
   * re-creating it. If ZooKeeper cannot be reached the delete is retried in the background (Curator's
   * guaranteed delete), and the node disappears with the session anyway. Closing twice is harmless.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      client.getConnectionStateListenable().removeListener(reRegistration);
      try {
        client.delete().guaranteed().forPath(path);
      } catch (KeeperException.NoNodeException e) {
        // Already gone with its session.
      } catch (Exception e) {
        log.warn("could not delete {} now; deleting in the background: {}", path, e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return "ZooKeeperRegistration{" + path + "}";
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

    /** The clock stamping {@code registrationTimeUTC}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Creates the ephemeral node, waiting as the client's retry policy allows.
     *
     * @throws IllegalStateException if address or port is unset, or ZooKeeper refused or could not
     *     be reached (nothing stays registered then)
     * @throws InterruptedException if interrupted while waiting
     */
    public ZooKeeperRegistration register() throws InterruptedException {
      if (address == null || port == 0) {
        throw new IllegalStateException("address and port are required, were " + address + ":" + port);
      }
      String path = ZKPaths.makePath(ZooKeeperPaths.service(basePath, service), id);
      byte[] json = ServiceInstanceJson.write(service, id, address, port, metadata, clock.millis());
      ZooKeeperRegistration registration = new ZooKeeperRegistration(client, path, id, json);
      // Listening first: a session renewed while the node is being created still re-creates it.
      client.getConnectionStateListenable().addListener(registration.reRegistration);
      try {
        registration.create();
      } catch (Exception e) {
        client.getConnectionStateListenable().removeListener(registration.reRegistration);
        if (e instanceof InterruptedException interrupted) {
          throw interrupted;
        }
        throw new IllegalStateException("could not register " + path + ": " + e, e);
      }
      return registration;
    }
  }
}
