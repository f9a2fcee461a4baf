package io.lb4j.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lb4j.core.Endpoint;
import io.lb4j.core.discovery.DiscoveryOptions;
import io.lb4j.core.discovery.EmptyAnswerPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.zookeeper.discovery.ZookeeperInstance;

/**
 * ZooKeeperServerList and ZooKeeperRegistration against a real ZooKeeper in the JVM, on the
 * library's default scheduler (backoff shortened so outages resolve within the test).
 */
class ZooKeeperServerListTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final String SERVICE_PATH = "/services/orders";

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private TestingServer server;
  private CuratorFramework client;

  @BeforeEach
  void startZooKeeper() throws Exception {
    server = ZooKeeperTestSupport.startServer();
    client = connectedClient();
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    server.close();
  }

  private CuratorFramework connectedClient() throws InterruptedException {
    return connectedClient(10_000);
  }

  private CuratorFramework connectedClient(int sessionTimeoutMs) throws InterruptedException {
    CuratorFramework newClient = ZooKeeperTestSupport.newClient(server, sessionTimeoutMs);
    closeables.add(newClient);
    assertThat(newClient.blockUntilConnected((int) DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return newClient;
  }

  private ZooKeeperServerList follow(String basePath) {
    ZooKeeperServerList list = ZooKeeperServerList.builder(client, "orders").basePath(basePath)
        .options(DiscoveryOptions.builder()
            .backoff(Duration.ofMillis(100), Duration.ofMillis(500)).build())
        .build();
    closeables.add(list);
    return list;
  }

  private static List<String> addresses(ZooKeeperServerList list) {
    return list.endpoints().stream().map(Endpoint::address).sorted().toList();
  }

  @Test
  void followsInstancesRegisteredWithCuratorServiceDiscoveryWhosePayloadClassItDoesNotKnow()
      throws Exception {
    // Curator's default JSON has no "enabled"; its newer format (compatibility mode off) has.
    ServiceDiscovery<InventoryDetails> discovery = curatorDiscovery(true);
    ServiceInstance<InventoryDetails> first = curatorInstance(9001, true);
    discovery.registerService(first);
    discovery.registerService(curatorInstance(9002, true));
    ServiceDiscovery<InventoryDetails> newerFormat = curatorDiscovery(false);
    newerFormat.registerService(curatorInstance(9003, false));
    newerFormat.registerService(curatorInstance(9004, true));

    ZooKeeperServerList list = follow("/curator");
    list.whenReady().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(addresses(list))
        .containsExactly("127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.1:9004");
    assertThat(list.endpoints()).allSatisfy(endpoint -> assertThat(endpoint.weight()).isEqualTo(1));

    discovery.unregisterService(first);
    await().atMost(DEADLINE)
        .until(() -> addresses(list).equals(List.of("127.0.0.1:9002", "127.0.0.1:9004")));
  }

  private ServiceDiscovery<InventoryDetails> curatorDiscovery(boolean compatibleFormat)
      throws Exception {
    ServiceDiscovery<InventoryDetails> discovery = ServiceDiscoveryBuilder
        .builder(InventoryDetails.class).client(connectedClient()).basePath("/curator")
        .serializer(new JsonInstanceSerializer<>(InventoryDetails.class, compatibleFormat)).build();
    closeables.add(discovery);
    discovery.start();
    return discovery;
  }

  private static ServiceInstance<InventoryDetails> curatorInstance(int port, boolean enabled)
      throws Exception {
    return ServiceInstance.<InventoryDetails>builder().name("orders").address("127.0.0.1")
        .port(port).payload(new InventoryDetails("eu-west-1a")).enabled(enabled).build();
  }

  @Test
  void readsSpringCloudZookeeperNodesAndSendsTrafficOnlyToUpInstances() throws Exception {
    client.create().creatingParentsIfNeeded().forPath(SERVICE_PATH + "/a", ZooKeeperTestSupport
        .springNode("a", "10.0.0.1", 8080, Map.of("instance_status", "UP", "weight", "3", "zone", "z1")));
    client.create().forPath(SERVICE_PATH + "/b", ZooKeeperTestSupport
        .springNode("b", "10.0.0.2", 8080, Map.of("instance_status", "OUT_OF_SERVICE")));
    client.create().forPath(SERVICE_PATH + "/c", ZooKeeperTestSupport
        .springNode("c", "10.0.0.3", 8080, Map.of()));

    ZooKeeperServerList list = follow("/services");
    list.whenReady().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

    assertThat(addresses(list)).containsExactly("10.0.0.1:8080", "10.0.0.3:8080");
    Endpoint a = list.endpoints().stream().filter(e -> e.host().equals("10.0.0.1")).findFirst()
        .orElseThrow();
    assertThat(a.weight()).isEqualTo(3);
    assertThat(a.zone()).isEqualTo("z1");
    assertThat(a.metadata()).containsEntry("zookeeper.id", "a").containsEntry("instance_status", "UP");

    client.setData().forPath(SERVICE_PATH + "/a", ZooKeeperTestSupport
        .springNode("a", "10.0.0.1", 8080, Map.of("instance_status", "OUT_OF_SERVICE")));
    client.setData().forPath(SERVICE_PATH + "/b", ZooKeeperTestSupport
        .springNode("b", "10.0.0.2", 8080, Map.of("instance_status", "UP")));
    await().atMost(DEADLINE)
        .until(() -> addresses(list).equals(List.of("10.0.0.2:8080", "10.0.0.3:8080")));
  }

  @Test
  void malformedNodesAreSkippedOneByOneAndTheRestPublished() throws Exception {
    client.create().creatingParentsIfNeeded().forPath(SERVICE_PATH + "/good",
        ZooKeeperTestSupport.springNode("good", "10.0.0.1", 8080, Map.of()));
    client.create().forPath(SERVICE_PATH + "/not-json", bytes("orders at 10.0.0.2"));
    client.create().forPath(SERVICE_PATH + "/no-port", bytes("{\"address\":\"10.0.0.3\"}"));
    client.create().forPath(SERVICE_PATH + "/zero-weight", ZooKeeperTestSupport
        .springNode("zero-weight", "10.0.0.4", 8080, Map.of("weight", "0")));
    client.create().forPath(SERVICE_PATH + "/empty");

    ZooKeeperServerList list = follow("/services");
    list.whenReady().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

    assertThat(addresses(list)).containsExactly("10.0.0.1:8080");
    assertThat(list.status().skippedEntries()).isEqualTo(4);
  }

  @Test
  void serverStopKeepsTheListAndRestartResumesFollowing() throws Exception {
    CuratorFramework instances = connectedClient();
    ZooKeeperRegistration.builder(instances, "orders").address("10.0.0.1").port(8080).register();
    ZooKeeperRegistration.builder(instances, "orders").address("10.0.0.2").port(8080).register();
    ZooKeeperServerList list = follow("/services");
    await().atMost(DEADLINE).until(() -> list.endpoints().size() == 2);

    server.stop();
    await().atMost(DEADLINE).until(() -> list.status().consecutiveFailures() >= 2);
    assertThat(addresses(list)).containsExactly("10.0.0.1:8080", "10.0.0.2:8080");
    assertThat(list.status().lastError()).isPresent();

    server.restart();
    await().atMost(DEADLINE).until(() -> list.status().consecutiveFailures() == 0);
    assertThat(addresses(list)).containsExactly("10.0.0.1:8080", "10.0.0.2:8080");
    ZooKeeperRegistration.builder(instances, "orders").address("10.0.0.3").port(8080).register();
    await().atMost(DEADLINE).until(() -> list.endpoints().size() == 3);
  }

  @Test
  void sessionExpiryDeletesTheInstancesEphemeralNodeAndTheListDropsIt() throws Exception {
    CuratorFramework expiring = connectedClient(1_500);
    expiring.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
        .forPath(SERVICE_PATH + "/x", ZooKeeperTestSupport.springNode("x", "10.0.0.1", 8080, Map.of()));
    CuratorFramework staying = connectedClient();
    staying.create().withMode(CreateMode.EPHEMERAL)
        .forPath(SERVICE_PATH + "/y", ZooKeeperTestSupport.springNode("y", "10.0.0.2", 8080, Map.of()));
    ZooKeeperServerList list = follow("/services");
    await().atMost(DEADLINE).until(() -> list.endpoints().size() == 2);

    expireSession(expiring);

    await().atMost(DEADLINE).until(() -> addresses(list).equals(List.of("10.0.0.2:8080")));
    assertThat(client.checkExists().forPath(SERVICE_PATH + "/x")).isNull();
  }

  @Test
  void registrationCreatesItsNodeAgainWhenItsSessionExpired() throws Exception {
    CuratorFramework expiring = connectedClient(1_500);
    ZooKeeperRegistration registration = ZooKeeperRegistration.builder(expiring, "orders")
        .address("10.0.0.1").port(8080).register();
    long firstSession = client.checkExists().forPath(registration.path()).getEphemeralOwner();

    expireSession(expiring);

    await().atMost(DEADLINE).until(() -> {
      Stat stat = client.checkExists().forPath(registration.path());
      return stat != null && stat.getEphemeralOwner() != firstSession
          && stat.getEphemeralOwner() == expiring.getZookeeperClient().getZooKeeper().getSessionId();
    });
    registration.close();
    assertThat(client.checkExists().forPath(registration.path())).isNull();
  }

  /**
   * Ends the client's session on the server, as a session timeout would: its ephemerals go. A second
   * handle joins the session (same id and password) and closes it once connected.
   */
  private void expireSession(CuratorFramework victim) throws Exception {
    ZooKeeper zooKeeper = victim.getZookeeperClient().getZooKeeper();
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper thief = new ZooKeeper(server.getConnectString(), zooKeeper.getSessionTimeout(),
        event -> {
          if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
            connected.countDown();
          }
        }, zooKeeper.getSessionId(), zooKeeper.getSessionPasswd());
    assertThat(connected.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    thief.close();
  }

  @Test
  void registrationIsReadByLb4jAndBySpringCloudZookeeperThroughCuratorAndCloseUnregisters()
      throws Exception {
    CuratorFramework instances = connectedClient();
    ZooKeeperRegistration first = ZooKeeperRegistration.builder(instances, "orders")
        .id("orders-1").address("10.0.0.1").port(8080).weight(2).zone("z1")
        .metadata("version", "1.4").register();
    ZooKeeperRegistration.builder(instances, "orders").address("10.0.0.2").port(8081).register();
    ZooKeeperServerList list = follow("/services");
    await().atMost(DEADLINE).until(() -> list.endpoints().size() == 2);

    assertThat(list.endpoints()).contains(Endpoint.builder("10.0.0.1", 8080).weight(2).zone("z1")
        .metadata("weight", "2").metadata("zone", "z1").metadata("version", "1.4")
        .metadata("instance_status", "UP").metadata("zookeeper.id", "orders-1").build());
    assertThat(first.path()).isEqualTo(SERVICE_PATH + "/orders-1");

    ServiceDiscovery<ZookeeperInstance> spring = ServiceDiscoveryBuilder.builder(ZookeeperInstance.class)
        .client(client).basePath("/services")
        .serializer(new JsonInstanceSerializer<>(ZookeeperInstance.class)).build();
    closeables.add(spring);
    spring.start();
    ServiceInstance<ZookeeperInstance> seen = spring.queryForInstance("orders", "orders-1");
    assertThat(seen.getAddress()).isEqualTo("10.0.0.1");
    assertThat(seen.getPort()).isEqualTo(8080);
    assertThat(seen.getPayload().getMetadata()).containsEntry("instance_status", "UP")
        .containsEntry("version", "1.4");

    first.close();

    await().atMost(DEADLINE).until(() -> addresses(list).equals(List.of("10.0.0.2:8081")));
    Collection<ServiceInstance<ZookeeperInstance>> left = spring.queryForInstances("orders");
    assertThat(left).extracting(ServiceInstance::getPort).containsExactly(8081);
  }

  @Test
  void serviceThatAppearsAfterStartIsFollowed() throws Exception {
    ZooKeeperServerList list = ZooKeeperServerList.builder(client, "orders")
        .options(DiscoveryOptions.builder().emptyAnswers(EmptyAnswerPolicy.ALLOW_EMPTY).build())
        .build();
    closeables.add(list);
    list.whenReady().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(list.endpoints()).isEmpty();

    ZooKeeperRegistration.builder(connectedClient(), "orders").address("10.0.0.1").port(8080)
        .register();

    await().atMost(DEADLINE).until(() -> addresses(list).equals(List.of("10.0.0.1:8080")));
  }

  @Test
  void buildersRejectBadValuesNamingThem() {
    assertThatThrownBy(() -> ZooKeeperServerList.builder(client, "orders/v2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service must be a non-blank node name without '/', was 'orders/v2'");
    assertThatThrownBy(() -> ZooKeeperServerList.builder(client, "orders").basePath("services"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("basePath must be an absolute ZooKeeper path, was 'services'");
    assertThatThrownBy(() -> ZooKeeperRegistration.builder(client, "orders").port(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("port must be in [1, 65535], was 0");
    assertThatThrownBy(() -> ZooKeeperRegistration.builder(client, "orders").weight(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight must be in [1, 10000], was 0");
    assertThatThrownBy(() -> ZooKeeperRegistration.builder(client, "orders").id(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must be a non-blank node name without '/', was ''");
    assertThatThrownBy(() -> ZooKeeperRegistration.builder(client, "orders")
        .metadata("instance_status", "DOWN"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metadata key 'instance_status' is reserved");
    assertThatThrownBy(() -> ZooKeeperRegistration.builder(client, "orders").register())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("address and port are required, were null:0");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** An application's own payload class, unknown to lb4j. */
  public static final class InventoryDetails {
    private String rack;

    public InventoryDetails() {}

    InventoryDetails(String rack) {
      this.rack = rack;
    }

    public String getRack() {
      return rack;
    }

    public void setRack(String rack) {
      this.rack = rack;
    }
  }
}
