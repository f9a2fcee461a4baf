package io.lb4j.zookeeper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/** A real ZooKeeper in the JVM and clients for it, as the ZooKeeper tests use them. */
final class ZooKeeperTestSupport {
  private ZooKeeperTestSupport() {}

  /**
   * A started in-JVM ZooKeeper on a free loopback port. A 500 ms tick allows session timeouts from
   * 1 s to 10 s.
   */
  static TestingServer startServer() throws Exception {
    // Every write (a session, a node) would wait for an fsync of the transaction log, which on a
    // busy disk takes seconds; the tests need no durability beyond a restart of the process' server.
    System.setProperty("zookeeper.forceSync", "no");
    InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1);
    return new TestingServer(spec, true);
  }

  /**
   * A started client. Operations fail after one short connection attempt, so a read while the
   * server is down fails within about a second instead of retrying for long.
   */
  static CuratorFramework newClient(TestingServer server) {
    return newClient(server, 10_000);
  }

  /**
   * Like {@link #newClient(TestingServer)} with a session timeout; a short one makes the client
   * ping often, so it learns soon that its session was ended on the server.
   */
  static CuratorFramework newClient(TestingServer server, int sessionTimeoutMs) {
    CuratorFramework client = CuratorFrameworkFactory.builder()
        .connectString(server.getConnectString())
        .sessionTimeoutMs(sessionTimeoutMs)
        .connectionTimeoutMs(1_000)
        .retryPolicy(new RetryNTimes(1, 100))
        .build();
    client.start();
    return client;
  }

  /**
   * An instance node as Spring Cloud Zookeeper 4.x writes it: Curator's ServiceInstance JSON whose
   * payload is a {@code ZookeeperInstance} with {@code metadata} (here with {@code instance_status}).
   */
  static byte[] springNode(String id, String host, int port, Map<String, String> metadata) {
    StringBuilder meta = new StringBuilder();
    metadata.forEach((key, value) -> meta.append(meta.length() == 0 ? "" : ",")
        .append('"').append(key).append("\":\"").append(value).append('"'));
    String json = "{\"name\":\"orders\",\"id\":\"" + id + "\",\"address\":\"" + host + "\","
        + "\"port\":" + port + ",\"sslPort\":null,"
        + "\"payload\":{\"@class\":\"org.springframework.cloud.zookeeper.discovery.ZookeeperInstance\","
        + "\"id\":\"orders-" + port + "\",\"name\":\"orders\",\"metadata\":{" + meta + "}},"
        + "\"registrationTimeUTC\":1764500000000,\"serviceType\":\"DYNAMIC\","
        + "\"uriSpec\":{\"parts\":[{\"value\":\"scheme\",\"variable\":true},"
        + "{\"value\":\"://\",\"variable\":false},{\"value\":\"address\",\"variable\":true},"
        + "{\"value\":\":\",\"variable\":false},{\"value\":\"port\",\"variable\":true}]}}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static void closeQuietly(AutoCloseable closeable) {
    try {
      if (closeable != null) {
        closeable.close();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
