package io.lb4j.examples;

import com.sun.net.httpserver.HttpServer;
import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import io.lb4j.okhttp.HedgingPolicy;
import io.lb4j.okhttp.LoadBalancedOkHttp;
import io.lb4j.okhttp.LoadBalancingInterceptor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.HdrHistogram.Histogram;

/**
 * What hedged requests do to the tail. Ten instances on loopback answer in {@value #BASE_MILLIS}
 * ms; at any moment one of them, chosen at random every {@value #SWITCH_MILLIS} ms, stalls ten
 * times as long. A closed loop of {@value #CLIENTS} client threads sends GETs through a wrapped
 * OkHttp client (everything at lb4j's defaults but the algorithm: round robin, which does not dodge
 * the stalled instance by itself, then least response time, the default, which does), once without
 * hedging and once per hedging policy, and prints latency percentiles (HdrHistogram) and the extra
 * requests the servers received.
 *
 * <pre>mvn -q -B -pl lb-examples -am compile exec:java -Dexample=io.lb4j.examples.HedgingLab
 *     [-Dexec.args="calls-per-client"]</pre>
 */
public final class HedgingLab {
  private static final int INSTANCES = 10;
  private static final int BASE_MILLIS = 10;
  private static final int STALL_FACTOR = 10;
  private static final int SWITCH_MILLIS = 500;
  private static final int CLIENTS = 4;
  private static final int WARMUP_CALLS = 200;

  private HedgingLab() {}

  public static void main(String[] args) throws Exception {
    int callsPerClient = args.length > 0 ? Integer.parseInt(args[0]) : 2_500;
    System.setProperty("sun.net.httpserver.nodelay", "true");
    try (Fleet fleet = new Fleet()) {
      System.out.printf("%d instances, %d ms each, one stalling %d× (switching every %d ms); "
          + "%d clients × %d calls per row%n%n", INSTANCES, BASE_MILLIS, STALL_FACTOR,
          SWITCH_MILLIS, CLIENTS, callsPerClient);
      System.out.println("| algorithm | hedging | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms "
          + "| p99 / p50 | extra requests |");
      System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
      for (Algorithm algorithm : List.of(Algorithms.roundRobin(), Algorithms.leastResponseTime())) {
        run(fleet, algorithm, "off", null, callsPerClient);
        run(fleet, algorithm, "fixed 12 ms, 2 attempts", HedgingPolicy.builder().maxAttempts(2)
            .delay(Duration.ofMillis(12)).build(), callsPerClient);
        run(fleet, algorithm, "fixed 15 ms, 2 attempts", HedgingPolicy.builder().maxAttempts(2)
            .delay(Duration.ofMillis(15)).build(), callsPerClient);
        run(fleet, algorithm, "p90 of recent (floor 5 ms), 2 attempts", HedgingPolicy.builder()
            .maxAttempts(2).latencyPercentile(90, Duration.ofMillis(5)).build(), callsPerClient);
        run(fleet, algorithm, "p95 of recent (floor 5 ms), 3 attempts", HedgingPolicy.builder()
            .maxAttempts(3).latencyPercentile(95, Duration.ofMillis(5)).build(), callsPerClient);
      }
    }
  }

  private static void run(Fleet fleet, Algorithm algorithm, String label, HedgingPolicy hedging,
      int callsPerClient) throws Exception {
    try (LoadBalancer balancer = LoadBalancer.builder(MutableServerList.of(fleet.endpoints()))
        .name("inventory").algorithm(algorithm).build()) {
      LoadBalancingInterceptor.Builder builder = LoadBalancingInterceptor.builder()
          .service("inventory", balancer);
      if (hedging != null) {
        builder.hedging(hedging);
      }
      LoadBalancingInterceptor interceptor = builder.build();
      OkHttpClient plain = new OkHttpClient.Builder()
          .connectionPool(new ConnectionPool(64, 1, TimeUnit.MINUTES))
          .callTimeout(Duration.ofSeconds(5)).build();
      OkHttpClient client = LoadBalancedOkHttp.wrap(plain, interceptor);
      Histogram micros = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
      ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
      try {
        drive(threads, client, WARMUP_CALLS, null);
        int before = fleet.served();
        drive(threads, client, callsPerClient, micros);
        int served = fleet.served() - before;
        int calls = CLIENTS * callsPerClient;
        double p50 = micros.getValueAtPercentile(50) / 1000.0;
        double p99 = micros.getValueAtPercentile(99) / 1000.0;
        System.out.printf("| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.1f %% |%n",
            algorithm, label, p50,
            micros.getValueAtPercentile(90) / 1000.0, p99,
            micros.getValueAtPercentile(99.9) / 1000.0, micros.getMaxValue() / 1000.0, p99 / p50,
            100.0 * (served - calls) / calls);
      } finally {
        threads.shutdownNow();
        interceptor.close();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
      }
    }
  }

  /** Each client thread sends {@code calls} GETs back to back; records each one's latency. */
  private static void drive(ExecutorService threads, OkHttpClient client, int calls,
      Histogram micros) throws Exception {
    List<Future<?>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      clients.add(threads.submit(() -> {
        Request request = new Request.Builder().url("http://inventory/stock/42").build();
        for (int i = 0; i < calls; i++) {
          long start = System.nanoTime();
          try (Response response = client.newCall(request).execute()) {
            response.body().string();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          if (micros != null) {
            synchronized (micros) {
              micros.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
            }
          }
        }
        return null;
      }));
    }
    for (Future<?> f : clients) {
      f.get();
    }
  }

  /** Ten JDK servers on loopback; one at a time, chosen at random, answers ten times slower. */
  private static final class Fleet implements AutoCloseable {
    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService handlers = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "hedging-lab-backend");
      thread.setDaemon(true);
      return thread;
    });
    private final AtomicInteger served = new AtomicInteger();
    private volatile int stalled;
    private volatile long switchAt;

    Fleet() throws IOException {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      for (int i = 0; i < INSTANCES; i++) {
        int index = i;
        HttpServer server = HttpServer.create(new InetSocketAddress(loopback, 0), 128);
        server.createContext("/", exchange -> {
          served.incrementAndGet();
          try {
            Thread.sleep(isStalled(index) ? (long) BASE_MILLIS * STALL_FACTOR : BASE_MILLIS);
            byte[] body = "42".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            exchange.close();
          }
        });
        server.setExecutor(handlers);
        server.start();
        servers.add(server);
      }
    }

    private boolean isStalled(int index) {
      long now = System.nanoTime();
      if (now - switchAt > TimeUnit.MILLISECONDS.toNanos(SWITCH_MILLIS)) {
        switchAt = now;
        stalled = ThreadLocalRandom.current().nextInt(INSTANCES);
      }
      return stalled == index;
    }

    List<Endpoint> endpoints() {
      List<Endpoint> endpoints = new ArrayList<>();
      for (HttpServer server : servers) {
        endpoints.add(Endpoint.of(server.getAddress().getAddress().getHostAddress(),
            server.getAddress().getPort()));
      }
      return endpoints;
    }

    int served() {
      return served.get();
    }

    @Override
    public void close() {
      for (HttpServer server : servers) {
        server.stop(0);
      }
      handlers.shutdownNow();
    }
  }
}
