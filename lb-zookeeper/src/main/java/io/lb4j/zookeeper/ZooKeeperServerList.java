package io.lb4j.zookeeper;

import io.lb4j.core.discovery.DiscoveryOptions;
import io.lb4j.core.discovery.DiscoveryServerList;
import io.lb4j.core.discovery.RegistryAnswer;
import io.lb4j.core.internal.concurrent.RetryBackoff;
import io.lb4j.zookeeper.internal.ServiceInstanceJson;
import io.lb4j.zookeeper.internal.ServiceNodeReader;
import io.lb4j.zookeeper.internal.ZooKeeperPaths;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.WatcherRemoveCuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link io.lb4j.core.ServerList} that follows one service in ZooKeeper, in the Curator
 * service-discovery layout ({@code <basePath>/<service>/<instance id>}, one JSON node per instance)
 * as written by {@code curator-x-discovery}, by Spring Cloud Zookeeper and by {@link
 * ZooKeeperRegistration}. Updates are pushed: ZooKeeper watches on the service node and on every
 * instance node trigger a read of the whole service, and the whole new list is published at once
 * (as Curator's {@code ServiceCache} hands its listeners the whole list), so a change made in one
 * transaction never shows half-applied.
 *
 * <p>Which instances take traffic: those whose JSON has an {@code address} and a {@code port} (or,
 * without one, an {@code sslPort}), unless {@code "enabled": false} or the payload metadata's
 * {@code instance_status} (Spring Cloud Zookeeper) is anything but {@code UP}. The payload metadata
 * ({@code payload.metadata}) becomes the endpoint's metadata; its {@code weight} and {@code zone}
 * entries, if present, the endpoint's weight and zone (as Spring Cloud LoadBalancer reads them).
 * The instance id is kept under {@code zookeeper.id}; the endpoint id is {@code address:port}. A
 * malformed node (unparseable JSON, no address, a bad port or weight) is skipped with a WARN naming
 * its path; the rest of the service stands.
 *
 * <p>Connection state is kept apart from membership: a suspended connection, a lost session or a
 * ZooKeeper outage never empties the list. Each read attempted while disconnected counts as a
 * failure in {@link #status()} and is retried with the options' backoff; on (re)connection the
 * whole service is read again at once. The initial sync completes with the first full read. All
 * rules of {@link DiscoveryServerList} apply (initial-wait timeout, empty-answer policy).
 *
 * <p>The Curator client is the caller's: this list neither starts nor closes it, and only removes
 * its own watches and listener on {@link #close()}. Start the client before building; reads are
 * asynchronous and their answers are handled on the options' scheduler, never on a caller's
 * thread. Thread-safe.
 */
public final class ZooKeeperServerList extends DiscoveryServerList {
  private static final Logger log = LoggerFactory.getLogger(ZooKeeperServerList.class);

  private final CuratorFramework client;
  private final WatcherRemoveCuratorFramework watchingClient;
  private final String servicePath;
  private final ServiceNodeReader reader;
  private final RetryBackoff backoff;
  private final ConnectionStateListener connectionListener = (c, state) -> connectionChanged(state);
  private final Object syncLock = new Object();
  // Set by SUSPENDED/LOST, cleared by (RE)CONNECTED: reads fail fast instead of waiting on Curator's
  // connection timeout and retries. Before the first event the client's own waiting applies, so a
  // source built while the client is still connecting simply reads once it has connected.
  private volatile boolean disconnected;
  // Guarded by syncLock: at most one read in flight; a change during it asks for one more.
  private ScheduledFuture<?> pendingSync;
  private boolean readInFlight;
  private boolean changedDuringRead;

  private ZooKeeperServerList(Builder builder) {
    super("zookeeper service " + ZooKeeperPaths.service(builder.basePath, builder.service),
        builder.options);
    this.client = builder.client;
    this.watchingClient = client.newWatcherRemoveCuratorFramework();
    this.servicePath = ZooKeeperPaths.service(builder.basePath, builder.service);
    this.reader = new ServiceNodeReader(watchingClient, servicePath, () -> scheduleSync(Duration.ZERO));
    this.backoff = RetryBackoff.of(options());
  }

  /**
   * A builder for the list of {@code service}'s instances, read through {@code client} (started by
   * the caller) under the default base path {@value ZooKeeperPaths#DEFAULT_BASE_PATH}.
   *
   * @throws IllegalArgumentException if {@code service} is blank or contains {@code /}
   */
  public static Builder builder(CuratorFramework client, String service) {
    return new Builder(client, service);
  }

  /** The node whose children are the service's instances, e.g. {@code /services/orders}. */
  public String servicePath() {
    return servicePath;
  }

  @Override
  protected void onStart() {
    client.getConnectionStateListenable().addListener(connectionListener);
    scheduleSync(Duration.ZERO);
  }

  @Override
  protected void onClose() {
    client.getConnectionStateListenable().removeListener(connectionListener);
    synchronized (syncLock) {
      if (pendingSync != null) {
        pendingSync.cancel(false);
      }
    }
    try {
      watchingClient.removeWatchers();
    } catch (RuntimeException e) {
      log.debug("{}: could not remove watches (they die with the session)", name(), e);
    }
  }

  private void connectionChanged(ConnectionState state) {
    switch (state) {
      // Watches may not have survived (a new session has none): read everything again now.
      case CONNECTED, RECONNECTED -> {
        disconnected = false;
        scheduleSync(Duration.ZERO);
      }
      // The read fails while disconnected: the status counts it and retries back off.
      case SUSPENDED -> {
        disconnected = true;
        scheduleSync(Duration.ZERO);
      }
      case LOST -> {
        disconnected = true;
        log.warn("{}: ZooKeeper session lost; keeping the last {} endpoints until reconnected",
            name(), endpoints().size());
      }
      default -> { }
    }
  }

  /** Queues a read after {@code delay}, unless one is already due no later; one pending at a time. */
  private void scheduleSync(Duration delay) {
    synchronized (syncLock) {
      if (isClosed()) {
        return;
      }
      if (pendingSync != null && !pendingSync.isDone()) {
        if (pendingSync.getDelay(TimeUnit.NANOSECONDS) <= delay.toNanos()) {
          return;
        }
        pendingSync.cancel(false);
      }
      pendingSync = options().scheduler().schedule(this::sync, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void sync() {
    synchronized (syncLock) {
      if (isClosed()) {
        return;
      }
      if (readInFlight) {
        changedDuringRead = true;
        return;
      }
      readInFlight = true;
    }
    CompletableFuture<Map<String, byte[]>> nodes;
    if (disconnected) {
      nodes = CompletableFuture.failedFuture(
          KeeperException.create(KeeperException.Code.CONNECTIONLOSS, servicePath));
    } else {
      nodes = reader.read();
    }
    nodes.thenApply(this::toAnswer).whenCompleteAsync(this::handle, options().scheduler());
  }

  private RegistryAnswer toAnswer(Map<String, byte[]> nodes) {
    RegistryAnswer.Builder answer = RegistryAnswer.builder(name());
    nodes.forEach((child, json) -> {
      String path = servicePath + "/" + child;
      try {
        ServiceInstanceJson.parse(json).ifPresentOrElse(
            endpoint -> answer.add(path, () -> endpoint),
            () -> log.debug("{}: {} is registered but not serving (disabled or not UP)", name(), path));
      } catch (RuntimeException e) {
        answer.skip(path, e.getMessage());
      }
    });
    return answer.build();
  }

  private void handle(RegistryAnswer answer, Throwable error) {
    boolean readAgain;
    synchronized (syncLock) {
      readInFlight = false;
      readAgain = changedDuringRead;
      changedDuringRead = false;
    }
    if (error == null) {
      accept(answer);
      if (readAgain) {
        scheduleSync(Duration.ZERO);
      }
      return;
    }
    int failures = fail(error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error);
    if (failures > 0) {
      scheduleSync(Duration.ofNanos(backoff.delayNanos(failures)));
    }
  }

  /** Builds a {@link ZooKeeperServerList}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private final CuratorFramework client;
    private final String service;
    private String basePath = ZooKeeperPaths.DEFAULT_BASE_PATH;
    private DiscoveryOptions options = DiscoveryOptions.defaults();

    private Builder(CuratorFramework client, String service) {
      this.client = Objects.requireNonNull(client, "client");
      this.service = ZooKeeperPaths.validNodeName(service, "service");
    }

    /**
     * The node under which services are registered: {@code /services} by default (Spring Cloud
     * Zookeeper's default root); Curator's {@code ServiceDiscoveryBuilder.basePath(...)} otherwise.
     *
     * @throws IllegalArgumentException if not an absolute ZooKeeper path
     */
    public Builder basePath(String basePath) {
      this.basePath = ZooKeeperPaths.validBasePath(basePath);
      return this;
    }

    /** Readiness, backoff, empty-answer policy and scheduler; {@link DiscoveryOptions#defaults()}. */
    public Builder options(DiscoveryOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Builds the list and starts following the service. */
    public ZooKeeperServerList build() {
      ZooKeeperServerList list = new ZooKeeperServerList(this);
      list.start();
      return list;
    }
  }
}
