package io.lb4j.examples;

import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import io.lb4j.core.ServerList.Subscription;
import io.lb4j.okhttp.LoadBalancedOkHttp;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * lb4j in one minute: an OkHttp client whose calls to {@code http://inventory/...} go to one of
 * three local inventory instances, chosen by a {@link LoadBalancer}. Then one instance crashes and
 * every call still succeeds: the interceptor retries a failed attempt on another instance, and the
 * failure steers later picks away from the dead one (circuit breaker, outlier ejection, latency).
 * Then a new instance joins the server list and, after a slow start, takes its share.
 *
 * <p>The instances are JDK HTTP servers on ephemeral loopback ports, started here; nothing else is
 * needed. Run it: {@code mvn -q -B -pl lb-examples -am compile exec:java} (the README's first
 * command).
 */
public final class QuickStart {
  static final String CRASHING = "inventory-2";
  static final String JOINING = "inventory-4";

  private QuickStart() {}

  /** Which instance served each call, per phase, for tests. */
  record Outcome(List<String> allUp, List<String> afterCrash, List<String> afterJoin) {}

  public static void main(String[] args) throws IOException {
    run(System.out, 12);
  }

  static Outcome run(PrintStream out, int callsPerPhase) throws IOException {
    List<InventoryBackend> backends = new ArrayList<>(List.of(
        InventoryBackend.start("inventory-1"), InventoryBackend.start(CRASHING), InventoryBackend.start("inventory-3")));
    OkHttpClient plain = new OkHttpClient();
    try {
      // 1. Say where the service's instances are. A registry watcher or DNS poller would drive this list.
      MutableServerList instances = MutableServerList.create();
      for (InventoryBackend backend : backends) {
        instances.add(endpointOf(backend));
      }
      // 2. One balancer per called service (default algorithm: least response time).
      try (LoadBalancer inventory = LoadBalancer.builder(instances).name("inventory").build();
          Subscription events = inventory.healthTracker().subscribeEvents(event ->
              out.println("  [health] " + event.type() + event.endpoint().map(e -> " " + e.id()).orElse("")
                  + ": " + event.detail()))) {
        // 3. Wrap the OkHttp client; calls to http://inventory/... now pick an instance.
        OkHttpClient client = LoadBalancedOkHttp.wrap(plain, Map.of("inventory", inventory));

        out.println("calls to http://inventory/stock/{sku} through " + inventory);
        List<String> allUp = phase(out, client, "3 instances up", 0, callsPerPhase);

        backends.get(1).close();
        List<String> afterCrash = phase(out, client, CRASHING + " crashed", callsPerPhase, callsPerPhase);

        InventoryBackend joining = InventoryBackend.start(JOINING);
        backends.add(joining);
        instances.add(endpointOf(joining));
        List<String> afterJoin = phase(out, client, JOINING + " joined", 2 * callsPerPhase, callsPerPhase);

        out.println();
        out.printf(Locale.ROOT, "%d calls, none failed. Next: README \"Use it\", or run the algorithm lab.%n",
            3 * callsPerPhase);
        return new Outcome(allUp, afterCrash, afterJoin);
      }
    } finally {
      backends.forEach(InventoryBackend::close);
      plain.dispatcher().executorService().shutdown();
      plain.connectionPool().evictAll();
    }
  }

  private static Endpoint endpointOf(InventoryBackend backend) {
    return Endpoint.builder(backend.host(), backend.port()).id(backend.name()).build();
  }

  private static List<String> phase(PrintStream out, OkHttpClient client, String title, int first, int calls)
      throws IOException {
    List<String> servedBy = new ArrayList<>(calls);
    Map<String, Integer> counts = new TreeMap<>();
    for (int call = first; call < first + calls; call++) {
      Request request = new Request.Builder().url("http://inventory/stock/sku-" + call).build();
      try (Response response = client.newCall(request).execute()) {
        if (!response.isSuccessful()) {
          throw new IOException("call " + call + " failed: " + response);
        }
        String instance = response.header(InventoryBackend.INSTANCE_HEADER);
        servedBy.add(instance);
        counts.merge(instance, 1, Integer::sum);
      }
    }
    out.printf(Locale.ROOT, "%n%s: %d calls, served by %s%n", title, calls, counts);
    return servedBy;
  }
}
