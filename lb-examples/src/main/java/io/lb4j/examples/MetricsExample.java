package io.lb4j.examples;

import io.lb4j.core.Algorithms;
import io.lb4j.core.Endpoint;
import io.lb4j.core.HealthTracker;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import io.lb4j.core.PickContext;
import io.lb4j.micrometer.InterceptorMetrics;
import io.lb4j.micrometer.LoadBalancerMetrics;
import io.lb4j.okhttp.LoadBalancedOkHttp;
import io.lb4j.okhttp.LoadBalancingInterceptor;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * lb4j's metrics live: three instances of the toy inventory service behind a load balancer whose
 * meters (lb-micrometer, per-endpoint ones on) go to a Prometheus registry, and a table of every
 * endpoint's state printed from those meters once a second while calls flow. One instance
 * crashes: calls that hit it are retried elsewhere and it is ejected; a replacement instance is
 * deployed and ramps up (slow start) while the crashed one leaves the list, its meters with it.
 * Ends with one explained pick and the Prometheus scrape's lb4j series.
 *
 * <p>Health settings are shortened (3 s ejection, 4 s slow start) so that all of it happens in
 * about ten seconds. Run it: {@code mvn -q -B -pl lb-examples -am compile exec:java
 * -Dexample=io.lb4j.examples.MetricsExample}.
 */
public final class MetricsExample {
  private static final Duration PACE = Duration.ofMillis(25);

  private MetricsExample() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    run(System.out, Duration.ofSeconds(1));
  }

  /** Runs the scenario, printing a table every {@code tableEvery}; returns the final scrape. */
  static String run(PrintStream out, Duration tableEvery) throws IOException, InterruptedException {
    InventoryBackend first = InventoryBackend.start("inventory-1");
    InventoryBackend crashing = InventoryBackend.start("inventory-2");
    InventoryBackend third = InventoryBackend.start("inventory-3");
    InventoryBackend replacement = InventoryBackend.start("inventory-4");
    MutableServerList servers = MutableServerList.of(endpoint(first), endpoint(crashing), endpoint(third));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "metrics-table");
      thread.setDaemon(true);
      return thread;
    });
    try (HealthTracker health = HealthTracker.builder().baseEjectionTime(Duration.ofSeconds(3))
            .slowStartWindow(Duration.ofSeconds(4)).refreshInterval(Duration.ofMillis(250)).build();
        LoadBalancer balancer = LoadBalancer.builder(servers).name("inventory")
            .algorithm(Algorithms.smoothWeightedRoundRobin()).healthTracker(health).build();
        LoadBalancerMetrics balancerMetrics = LoadBalancerMetrics.builder(balancer).perEndpoint(true).build()) {
      InterceptorMetrics callMetrics = new InterceptorMetrics();
      LoadBalancingInterceptor interceptor = LoadBalancingInterceptor.builder()
          .service("inventory", balancer).callListener(callMetrics).build();
      balancerMetrics.bindTo(registry);
      callMetrics.bindTo(registry);
      InterceptorMetrics.circuitBreakers(interceptor).bindTo(registry);
      OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(), interceptor);
      MetricsTable table = new MetricsTable(registry, "inventory");
      long start = System.nanoTime();
      printer.scheduleAtFixedRate(() -> out.print(table.render(System.nanoTime() - start)),
          0, tableEvery.toMillis(), TimeUnit.MILLISECONDS);

      out.println("phase 1: three instances, all healthy");
      call(client, 60);
      out.println("phase 2: inventory-2 crashed (connections refused); calls retry elsewhere");
      crashing.close();
      call(client, 60);
      out.println("phase 3: inventory-4 deployed, inventory-2 removed; inventory-4 ramps up");
      servers.add(endpoint(replacement));
      servers.remove("inventory-2");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      Endpoint added = endpoint(replacement);
      while (health.isRamping(added) && System.nanoTime() < deadline) {
        call(client, 10);
      }
      call(client, 20);
      printer.shutdown();
      printer.awaitTermination(5, TimeUnit.SECONDS);
      out.print(table.render(System.nanoTime() - start));
      out.println();
      out.println("one pick, explained:");
      out.print(balancer.explain(PickContext.create()));
      String scrape = registry.scrape();
      out.println();
      out.println("Prometheus scrape, lb4j series:");
      scrape.lines().filter(line -> line.startsWith("lb_")).forEach(out::println);
      return scrape;
    } finally {
      printer.shutdownNow();
      registry.close();
      List.of(first, crashing, third, replacement).forEach(InventoryBackend::close);
    }
  }

  private static Endpoint endpoint(InventoryBackend backend) {
    return Endpoint.builder(backend.host(), backend.port()).id(backend.name()).build();
  }

  /** {@code count} calls, one every {@link #PACE}, so that the table sees each phase. */
  private static void call(OkHttpClient client, int count) throws IOException, InterruptedException {
    for (int i = 0; i < count; i++) {
      Request request = new Request.Builder().url("http://inventory/stock/sku-" + i).build();
      try (Response response = client.newCall(request).execute()) {
        if (!response.isSuccessful()) {
          throw new IOException("call " + i + " failed: HTTP " + response.code());
        }
      }
      Thread.sleep(PACE.toMillis());
    }
  }
}
