package io.lb4j.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lb4j.core.Endpoint;
import io.lb4j.core.discovery.DiscoveryOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;

/**
 * A three-server ZooKeeper ensemble in the JVM: when the server the list's client is connected to
 * dies, the client moves to another, the list keeps its instances meanwhile and goes on following
 * changes made during the failover.
 */
class ZooKeeperClusterFailoverTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final String SERVICE_PATH = "/services/orders";

  @Test
  void listSurvivesTheLossOfItsServerAndFollowsChangesMadeThroughTheOthers() throws Exception {
    System.setProperty("zookeeper.forceSync", "no");
    try (TestingCluster cluster = new TestingCluster(3)) {
      cluster.start();
      try (CuratorFramework writer = client(cluster); CuratorFramework follower = client(cluster)) {
        writer.create().creatingParentsIfNeeded().forPath(SERVICE_PATH + "/a",
            ZooKeeperTestSupport.springNode("a", "10.0.0.1", 8080, Map.of()));
        writer.create().forPath(SERVICE_PATH + "/b",
            ZooKeeperTestSupport.springNode("b", "10.0.0.2", 8080, Map.of()));
        try (ZooKeeperServerList list = ZooKeeperServerList.builder(follower, "orders")
            .options(DiscoveryOptions.builder()
                .backoff(Duration.ofMillis(100), Duration.ofMillis(500)).build())
            .build()) {
          list.whenReady().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
          List<List<String>> published = new CopyOnWriteArrayList<>();
          list.subscribe(endpoints -> published.add(addresses(endpoints)));

          InstanceSpec connectedTo = cluster.findConnectionInstance(
              follower.getZookeeperClient().getZooKeeper());
          cluster.killServer(connectedTo);
          writer.create().forPath(SERVICE_PATH + "/c",
              ZooKeeperTestSupport.springNode("c", "10.0.0.3", 8080, Map.of()));

          await().atMost(DEADLINE).until(() -> addresses(list.endpoints())
              .equals(List.of("10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080")));
          assertThat(cluster.findConnectionInstance(follower.getZookeeperClient().getZooKeeper()))
              .isNotEqualTo(connectedTo);
          // Through the failover the list only ever grew: never emptied, never lost a or b.
          assertThat(published).allSatisfy(snapshot ->
              assertThat(snapshot).contains("10.0.0.1:8080", "10.0.0.2:8080"));
        }
      }
    }
  }

  private static CuratorFramework client(TestingCluster cluster) throws InterruptedException {
    CuratorFramework client = CuratorFrameworkFactory.builder()
        .connectString(cluster.getConnectString()).sessionTimeoutMs(10_000)
        .connectionTimeoutMs(1_000).retryPolicy(new RetryNTimes(10, 200)).build();
    client.start();
    assertThat(client.blockUntilConnected((int) DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return client;
  }

  private static List<String> addresses(List<Endpoint> endpoints) {
    return endpoints.stream().map(Endpoint::address).sorted().toList();
  }
}
