package io.lb4j.zookeeper;

import static org.awaitility.Awaitility.await;

import io.lb4j.core.Endpoint;
import io.lb4j.core.discovery.DiscoveryOptions;
import io.lb4j.core.discovery.DiscoveryServerList;
import io.lb4j.testkit.DiscoverySourceContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.listen.ListenerManager;
import org.apache.curator.test.TestingServer;

/**
 * The shared discovery contract against a real ZooKeeper in the JVM, with instances written as
 * Spring Cloud Zookeeper nodes (weight in the payload metadata).
 *
 * <p>The source's work runs on the options' scheduler — a watch or a connection event queues a read
 * there — so the contract steps it like a polling source, and its backoff is checked too. To keep
 * the steps deterministic the registry waits, after each change it makes, until every open source
 * has been told (its read is queued): the change of one transaction fires one or more watches, and
 * any read that runs after them sees the whole change.
 */
class ZooKeeperContractTest extends DiscoverySourceContract {
  private static final String BASE = "/services";
  private static final String SERVICE = "orders";
  private static final String SERVICE_PATH = BASE + "/" + SERVICE;
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  @Override
  protected boolean pollsRegistry() {
    return true;
  }

  @Override
  protected boolean schedulesNextQueryAfterEachStep() {
    return false; // a read runs when a watch fires, not on a timer
  }

  @Override
  protected Registry startRegistry() throws Exception {
    return new ZooKeeperRegistry();
  }

  @Override
  protected DiscoveryServerList newSource(Registry registry, DiscoveryOptions options)
      throws InterruptedException {
    return ((ZooKeeperRegistry) registry).follow(options);
  }

  @Override
  protected Endpoint expectedEndpoint(Instance instance) {
    return Endpoint.builder(instance.host(), instance.port()).weight(instance.weight())
        .metadata("weight", Integer.toString(instance.weight()))
        .metadata("instance_status", "UP")
        .metadata("zookeeper.id", id(instance))
        .build();
  }

  private static String id(Instance instance) {
    return instance.host() + "-" + instance.port();
  }

  private final class ZooKeeperRegistry implements Registry {
    private final TestingServer server = ZooKeeperTestSupport.startServer();
    private final CuratorFramework writer = ZooKeeperTestSupport.newClient(server);
    private final List<Follower> followers = new ArrayList<>();
    private boolean down;

    ZooKeeperRegistry() throws Exception {
    }

    /** A source with its own client, whose listeners tell the registry whether it is still open. */
    DiscoveryServerList follow(DiscoveryOptions options) throws InterruptedException {
      CuratorFramework client = ZooKeeperTestSupport.newClient(server);
      if (!down) {
        // As a service would: build the source once its client is connected.
        client.blockUntilConnected((int) DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      }
      int listenersBefore = listeners(client);
      ZooKeeperServerList source = ZooKeeperServerList.builder(client, SERVICE).basePath(BASE)
          .options(options).build();
      followers.add(new Follower(client, source, listenersBefore));
      return source;
    }

    @Override
    public void register(List<Instance> instances) throws Exception {
      Map<String, byte[]> nodes = new LinkedHashMap<>();
      for (Instance instance : instances) {
        nodes.put(id(instance), ZooKeeperTestSupport.springNode(id(instance), instance.host(),
            instance.port(), Map.of("weight", Integer.toString(instance.weight()),
                "instance_status", "UP")));
      }
      replaceNodes(nodes);
    }

    @Override
    public void registerWithOneMalformedEntry(List<Instance> instances) throws Exception {
      register(instances);
      Map<String, byte[]> nodes = currentNodes();
      nodes.put("broken", "{\"name\":\"orders\",\"address\":".getBytes(StandardCharsets.UTF_8));
      replaceNodes(nodes);
    }

    private Map<String, byte[]> currentNodes() throws Exception {
      Map<String, byte[]> nodes = new LinkedHashMap<>();
      for (String child : writer.getChildren().forPath(SERVICE_PATH)) {
        nodes.put(child, writer.getData().forPath(SERVICE_PATH + "/" + child));
      }
      return nodes;
    }

    /** Makes the service's nodes exactly {@code nodes}, in one transaction. */
    private void replaceNodes(Map<String, byte[]> nodes) throws Exception {
      writer.createContainers(SERVICE_PATH);
      Set<String> existing = new HashSet<>(writer.getChildren().forPath(SERVICE_PATH));
      List<CuratorOp> ops = new ArrayList<>();
      for (String child : existing) {
        if (!nodes.containsKey(child)) {
          ops.add(writer.transactionOp().delete().forPath(SERVICE_PATH + "/" + child));
        }
      }
      for (Map.Entry<String, byte[]> node : nodes.entrySet()) {
        String path = SERVICE_PATH + "/" + node.getKey();
        ops.add(existing.contains(node.getKey())
            ? writer.transactionOp().setData().forPath(path, node.getValue())
            : writer.transactionOp().create().forPath(path, node.getValue()));
      }
      writer.transaction().forOperations(ops);
      awaitOpenSources(follower -> scheduler.pending() > 0);
    }

    @Override
    public void breakDown() throws Exception {
      down = true;
      server.stop();
      awaitOpenSources(follower -> !follower.client.getZookeeperClient().isConnected()
          && scheduler.pending() > 0);
    }

    @Override
    public void recover() throws Exception {
      server.restart();
      down = false;
      writer.blockUntilConnected();
      // A (re)connected source queues an immediate read.
      awaitOpenSources(follower -> follower.client.getZookeeperClient().isConnected()
          && scheduler.nextDelay().equals(Optional.of(Duration.ZERO)));
    }

    private void awaitOpenSources(java.util.function.Predicate<Follower> condition) {
      for (Follower follower : followers) {
        await().atMost(DEADLINE).until(() -> follower.isClosed() || condition.test(follower));
      }
    }

    @Override
    public void close() throws java.io.IOException {
      for (Follower follower : followers) {
        follower.source.close();
        follower.client.close();
      }
      writer.close();
      server.close();
    }
  }

  private record Follower(CuratorFramework client, ZooKeeperServerList source, int listenersBefore) {
    /** A closed source has removed its connection listener from its client. */
    boolean isClosed() {
      return listeners(client) == listenersBefore;
    }
  }

  private static int listeners(CuratorFramework client) {
    return ((ListenerManager<?, ?>) client.getConnectionStateListenable()).size();
  }

}
