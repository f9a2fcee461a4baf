package io.lb4j.examples;

import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.Subscription;
import io.lb4j.okhttp.LoadBalancedOkHttp;
import io.lb4j.zookeeper.ZooKeeperRegistration;
import io.lb4j.zookeeper.ZooKeeperServerList;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;

/**
 * Discovery through ZooKeeper, end to end: a real ZooKeeper starts in this JVM (Curator's {@code
 * TestingServer}), three inventory instances start and each registers itself with {@link
 * ZooKeeperRegistration} (an ephemeral node under {@code /services/inventory}), and the caller
 * follows them with a {@link ZooKeeperServerList} under a {@link LoadBalancer} that wraps its OkHttp
 * client. While calls run, {@code inventory-1} is killed — its ZooKeeper session ends with its
 * client, so its node disappears, and its HTTP server stops, so calls in flight to it are retried
 * elsewhere — and then {@code inventory-4} starts and registers. The caller never lists an address:
 * every change reaches it as a ZooKeeper watch. The table shows who served what in each phase;
 * no call fails.
 *
 * <p>Run it: {@code mvn -q -B -pl lb-examples -am compile exec:java
 * -Dexample=io.lb4j.examples.ZooKeeperDiscoveryExample}. Exits with status 1 if any call failed.
 */
public final class ZooKeeperDiscoveryExample {
  static final String SERVICE = "inventory";
  static final String KILLED = "inventory-1";
  static final String ADDED = "inventory-4";
  /** The story's phases; a call counts in the phase it started in. */
  static final List<String> PHASES = List.of(
      "inventory-1..3 registered",
      "inventory-1 killed, lb4j not yet told",
      "lb4j dropped inventory-1 (its node is gone)",
      "inventory-4 starts and registers");
  private static final int THREADS = 4;
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private ZooKeeperDiscoveryExample() {}

  /**
   * What the run measured.
   *
   * @param calls calls made
   * @param failedCalls calls that ended in an exception or a non-2xx status
   * @param attempts requests the balancer sent (or tried to connect for) on behalf of those calls
   * @param served instance name → calls it answered in each phase (indexes of {@link #PHASES})
   */
  record Result(int calls, int failedCalls, int attempts, Map<String, int[]> served) {
    /** Attempts beyond each call's first: calls that failed on one instance and were sent again. */
    int retries() {
      return attempts - calls;
    }
  }

  public static void main(String[] args) throws Exception {
    Result result = run(System.out, 300);
    if (result.failedCalls() > 0) {
      System.exit(1);
    }
  }

  /** Runs the story with at least {@code callsPerPhase} calls in each phase and prints the table. */
  static Result run(PrintStream out, int callsPerPhase) throws Exception {
    Objects.requireNonNull(out, "out");
    if (callsPerPhase < 1) {
      throw new IllegalArgumentException("callsPerPhase must be >= 1, was " + callsPerPhase);
    }
    List<Instance> instances = new ArrayList<>();
    OkHttpClient plain = new OkHttpClient();
    try (TestingServer zooKeeper = new TestingServer(true);
        CuratorFramework caller = startClient(zooKeeper)) {
      try {
        out.printf(Locale.ROOT, "ZooKeeper %s (in this JVM); instances register under /services/%s%n",
            zooKeeper.getConnectString(), SERVICE);
        for (int i = 1; i <= 3; i++) {
          instances.add(Instance.start("inventory-" + i, zooKeeper));
        }
        // 1. Follow the service in ZooKeeper: pushed updates, ready once the first read is published.
        try (ZooKeeperServerList inventory = ZooKeeperServerList.builder(caller, SERVICE).build();
            LoadBalancer balancer = LoadBalancer.builder(inventory).name(SERVICE).build()) {
          inventory.whenReady().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
          try (Subscription printer = inventory.subscribe(endpoints -> out.printf(Locale.ROOT,
              "  [zookeeper] %s: %s%n", SERVICE, names(endpoints)))) {
            // 2. Wrap the OkHttp client: calls to http://inventory/... pick a followed instance.
            OkHttpClient client = LoadBalancedOkHttp.wrap(plain, Map.of(SERVICE, balancer));
            return drive(out, client, balancer, instances, zooKeeper, callsPerPhase);
          }
        }
      } finally {
        instances.forEach(Instance::kill);
      }
    } finally {
      plain.dispatcher().executorService().shutdown();
      plain.connectionPool().evictAll();
    }
  }

  private static Result drive(PrintStream out, OkHttpClient client, LoadBalancer balancer,
      List<Instance> instances, TestingServer zooKeeper, int callsPerPhase) throws Exception {
    Traffic traffic = new Traffic(client);
    traffic.start();
    try {
      traffic.awaitCalls(callsPerPhase);

      Instance killed = instances.get(0);
      traffic.phase(1);
      out.printf(Locale.ROOT, "%s killed: its server stops, then its ZooKeeper session ends%n", KILLED);
      killed.kill();
      await(() -> !names(balancer.endpoints()).contains(KILLED), KILLED + " still listed");
      traffic.phase(2);
      traffic.awaitCalls(callsPerPhase);

      out.printf(Locale.ROOT, "%s starts and registers%n", ADDED);
      traffic.phase(3);
      instances.add(Instance.start(ADDED, zooKeeper));
      await(() -> names(balancer.endpoints()).contains(ADDED), ADDED + " not listed");
      traffic.awaitCalls(callsPerPhase);
    } finally {
      traffic.stop();
    }
    Result result = traffic.result();
    printTable(out, result);
    return result;
  }

  private static void printTable(PrintStream out, Result result) {
    out.printf(Locale.ROOT, "%nCalls served, by the phase they started in:%n");
    for (int phase = 0; phase < PHASES.size(); phase++) {
      out.printf(Locale.ROOT, "  %d  %s%n", phase + 1, PHASES.get(phase));
    }
    out.printf(Locale.ROOT, "%-12s %6d %6d %6d %6d%n", "instance", 1, 2, 3, 4);
    result.served().forEach((name, counts) -> out.printf(Locale.ROOT, "%-12s %6d %6d %6d %6d%n",
        name, counts[0], counts[1], counts[2], counts[3]));
    out.printf(Locale.ROOT, "%n%d calls, %d failed; %d attempts failed on a dying instance and were "
        + "retried on another%n", result.calls(), result.failedCalls(), result.retries());
  }

  private static void await(BooleanSupplier condition, String failure) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(failure + " after " + DEADLINE);
      }
      Thread.sleep(10);
    }
  }

  private static List<String> names(List<Endpoint> endpoints) {
    return endpoints.stream().map(e -> e.metadata().getOrDefault("zookeeper.id", e.id())).sorted()
        .toList();
  }

  private static CuratorFramework startClient(TestingServer zooKeeper) throws InterruptedException {
    CuratorFramework client = CuratorFrameworkFactory.newClient(zooKeeper.getConnectString(),
        new ExponentialBackoffRetry(100, 3));
    client.start();
    if (!client.blockUntilConnected((int) DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      client.close();
      throw new IllegalStateException("no connection to ZooKeeper " + zooKeeper.getConnectString());
    }
    return client;
  }

  /** One inventory instance: its HTTP server, its own ZooKeeper client and its registration. */
  private record Instance(InventoryBackend server, CuratorFramework client) {
    static Instance start(String name, TestingServer zooKeeper) throws InterruptedException {
      InventoryBackend server = InventoryBackend.start(name, Duration.ofMillis(2));
      CuratorFramework client = startClient(zooKeeper);
      // 3. Each instance announces itself; the node lives as long as its session.
      ZooKeeperRegistration.builder(client, SERVICE).id(name).address(server.host())
          .port(server.port()).register();
      return new Instance(server, client);
    }

    /**
     * A crash: the server stops (requests in flight are cut off, new connections refused), then the
     * ZooKeeper session ends with the client, so ZooKeeper deletes the instance's node.
     */
    void kill() {
      server.close();
      client.close();
    }
  }

  /** Calls from a few threads until stopped, counting who served each call in the current phase. */
  private static final class Traffic {
    private final OkHttpClient client;
    private final AtomicInteger attempts = new AtomicInteger();
    private final ExecutorService callers = Executors.newFixedThreadPool(THREADS, task -> {
      Thread thread = new Thread(task, "zookeeper-example-caller");
      thread.setDaemon(true);
      return thread;
    });
    private final Map<String, int[]> served = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger callsInPhase = new AtomicInteger();
    private volatile int phase;

    Traffic(OkHttpClient client) {
      // Only for the table: an interceptor after lb4j's sees every attempt, retries included.
      this.client = client.newBuilder().addInterceptor(chain -> {
        attempts.incrementAndGet();
        return chain.proceed(chain.request());
      }).build();
    }

    void start() {
      for (int t = 0; t < THREADS; t++) {
        callers.execute(() -> {
          while (running.get()) {
            callOnce();
          }
        });
      }
    }

    /** Later calls count in {@code next}; a call already in flight counts in the phase it began in. */
    void phase(int next) {
      callsInPhase.set(0);
      phase = next;
    }

    void awaitCalls(int count) throws InterruptedException {
      await(() -> callsInPhase.get() >= count, "fewer than " + count + " calls");
    }

    private void callOnce() {
      int startedIn = phase;
      int call = calls.incrementAndGet();
      Request request = new Request.Builder().url("http://" + SERVICE + "/stock/sku-" + call).build();
      try (Response response = client.newCall(request).execute()) {
        response.body().string();
        String instance = response.header(InventoryBackend.INSTANCE_HEADER);
        if (response.isSuccessful() && instance != null) {
          synchronized (served) {
            served.computeIfAbsent(instance, name -> new int[PHASES.size()])[startedIn]++;
          }
        } else {
          failed.incrementAndGet();
        }
      } catch (IOException e) {
        failed.incrementAndGet();
      }
      callsInPhase.incrementAndGet();
    }

    void stop() throws InterruptedException {
      running.set(false);
      callers.shutdown();
      callers.awaitTermination(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    Result result() {
      synchronized (served) {
        Map<String, int[]> sorted = new LinkedHashMap<>();
        served.keySet().stream().sorted().forEach(name -> sorted.put(name, served.get(name).clone()));
        return new Result(calls.get(), failed.get(), attempts.get(), sorted);
      }
    }
  }
}
