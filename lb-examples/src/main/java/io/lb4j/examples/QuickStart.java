package io.lb4j.examples;

import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import io.lb4j.core.Subscription;
import io.lb4j.examples.QuickStartTally.InstanceRow;
import io.lb4j.okhttp.LoadBalancedOkHttp;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * lb4j in a few seconds: an OkHttp client whose calls to {@code http://inventory/...} go to one of
 * four local inventory instances, each slower than the last (2, 4, 8 and 16 ms added per request),
 * chosen by a {@link LoadBalancer} with its default algorithm, least response time. A few threads
 * send about 2,000 calls; halfway through, the fastest instance crashes (its server stops, so
 * connections are refused and requests in progress are cut off). Every call still succeeds: the
 * interceptor retries a failed attempt on another instance, and the health tracker ejects the dead
 * one. The closing table shows who served what before and after the crash, the retries that took,
 * failed calls (none) and latency percentiles.
 *
 * <p>The instances are JDK HTTP servers on ephemeral loopback ports, started here; nothing else is
 * needed. Run it: {@code mvn -q -B -pl lb-examples -am compile exec:java} (the README's first
 * command). It exits with status 1 if any call failed, so it doubles as a smoke test.
 */
public final class QuickStart {
  static final int REQUESTS = 2_000;
  static final int THREADS = 8;
  static final List<Duration> DELAYS = List.of(
      Duration.ofMillis(2), Duration.ofMillis(4), Duration.ofMillis(8), Duration.ofMillis(16));
  /** The fastest instance, so the one least-response-time leans on most. */
  static final String STOPPED = "inventory-1";

  private QuickStart() {}

  /**
   * What the run measured.
   *
   * @param calls calls made
   * @param attempts requests the balancer sent (or tried to connect for) on behalf of those calls
   * @param failedCalls calls that ended in an exception or a non-2xx status
   * @param instances one row per instance, in start order
   * @param all the same figures over all instances
   */
  record Result(int calls, int attempts, int failedCalls, List<InstanceRow> instances, InstanceRow all) {
    /** Attempts beyond each call's first. */
    int retries() {
      return attempts - calls;
    }
  }

  public static void main(String[] args) throws InterruptedException {
    Result result = run(System.out, REQUESTS, THREADS, System.console() != null);
    if (result.failedCalls() > 0) {
      System.exit(1);
    }
  }

  /**
   * Starts the instances, sends {@code requests} calls from {@code threads} threads, stops
   * {@link #STOPPED} once half of the calls were started, prints the table and stops everything.
   *
   * @param interactive update one progress line with {@code \r} rather than printing every 10%
   */
  static Result run(PrintStream out, int requests, int threads, boolean interactive) throws InterruptedException {
    Objects.requireNonNull(out, "out");
    if (requests < 2) {
      throw new IllegalArgumentException("requests must be >= 2, was " + requests);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, was " + threads);
    }
    List<InventoryBackend> backends = new ArrayList<>();
    for (int i = 0; i < DELAYS.size(); i++) {
      backends.add(InventoryBackend.start("inventory-" + (i + 1), DELAYS.get(i)));
    }
    OkHttpClient plain = new OkHttpClient();
    try {
      // 1. Say where the service's instances are. A registry watcher or DNS poller would drive this list.
      MutableServerList instances = MutableServerList.create();
      backends.forEach(backend -> instances.add(
          Endpoint.builder(backend.host(), backend.port()).id(backend.name()).build()));
      Queue<String> notes = new ConcurrentLinkedQueue<>();
      // 2. One balancer per called service; the default algorithm is least response time.
      try (LoadBalancer inventory = LoadBalancer.builder(instances).name("inventory").build();
          Subscription events = inventory.healthTracker().subscribeEvents(event -> notes.add(
              "[health] " + event.type() + event.endpoint().map(e -> " " + e.id()).orElse("") + ": "
                  + event.detail()))) {
        // 3. Wrap the OkHttp client: calls to http://inventory/... now pick an instance.
        OkHttpClient client = LoadBalancedOkHttp.wrap(plain, Map.of("inventory", inventory));

        QuickStartTally tally = new QuickStartTally(backends);
        // Only for this demo's table: an interceptor after lb4j's sees every attempt, retries included.
        OkHttpClient counted = client.newBuilder().addInterceptor(tally.attemptCounter()).build();
        out.printf(Locale.ROOT, "http://inventory -> %s%n  %s: power of two choices over peak-EWMA latency"
            + " x in-flight, the LoadBalancer's default algorithm%n", inventory, inventory.algorithm().name());
        for (InventoryBackend backend : backends) {
          out.printf(Locale.ROOT, "  %s  %s:%d  +%d ms per request%n",
              backend.name(), backend.host(), backend.port(), backend.delay().toMillis());
        }
        out.printf(Locale.ROOT, "%,d GET http://inventory/stock/{sku} from %d threads; %s stops after %,d%n%n",
            requests, threads, STOPPED, requests / 2);
        long start = System.nanoTime();
        sendAll(out, counted, requests, threads, interactive, backends, tally, notes);
        Result result = tally.result(requests);
        tally.printTable(out, result);
        out.printf(Locale.ROOT, "%nTook %.1f s. Next: README \"Use it\", or the other examples listed there.%n",
            (System.nanoTime() - start) / 1e9);
        return result;
      }
    } finally {
      backends.forEach(InventoryBackend::close);
      plain.dispatcher().executorService().shutdown();
      plain.connectionPool().evictAll();
    }
  }

  /**
   * Runs the calls on {@code threads} threads. Call number {@code requests / 2} stops the instance
   * first; later calls wait for that, so every one of them starts after the crash, while earlier
   * ones may be in flight when it happens. This thread prints progress and notes meanwhile.
   */
  private static void sendAll(PrintStream out, OkHttpClient client, int requests, int threads, boolean interactive,
      List<InventoryBackend> backends, QuickStartTally tally, Queue<String> notes) throws InterruptedException {
    InventoryBackend stopped = backends.stream().filter(b -> b.name().equals(STOPPED)).findFirst().orElseThrow();
    int crashAt = requests / 2;
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicInteger inFlight = new AtomicInteger();
    CountDownLatch crashed = new CountDownLatch(1);
    ExecutorService workers = Executors.newFixedThreadPool(threads, task -> {
      Thread thread = new Thread(task, "quickstart-caller");
      thread.setDaemon(true);
      return thread;
    });
    for (int t = 0; t < threads; t++) {
      workers.execute(() -> {
        for (int call = next.getAndIncrement(); call < requests; call = next.getAndIncrement()) {
          if (call == crashAt) {
            int cut = inFlight.get();
            stopped.close();
            notes.add(String.format(Locale.ROOT, "%s stopped after %,d calls started (%d in flight):"
                + " its port now refuses connections", STOPPED, crashAt, cut));
            crashed.countDown();
          } else if (call > crashAt && !awaitQuietly(crashed)) {
            return;
          }
          inFlight.incrementAndGet();
          callOnce(client, call, call < crashAt, tally);
          inFlight.decrementAndGet();
          done.incrementAndGet();
        }
      });
    }
    workers.shutdown();
    int printedTenths = 0;
    while (!workers.awaitTermination(100, TimeUnit.MILLISECONDS)) {
      printedTenths = progress(out, done.get(), requests, interactive, printedTenths, notes);
    }
    progress(out, done.get(), requests, interactive, printedTenths, notes);
    if (interactive) {
      out.println();
    }
  }

  private static void callOnce(OkHttpClient client, int call, boolean beforeCrash, QuickStartTally tally) {
    Request request = new Request.Builder().url("http://inventory/stock/sku-" + call).build();
    long start = System.nanoTime();
    try (Response response = client.newCall(request).execute()) {
      String body = response.body().string();
      if (response.isSuccessful()) {
        tally.served(response.header(InventoryBackend.INSTANCE_HEADER), beforeCrash, System.nanoTime() - start);
      } else {
        tally.failed("call " + call + ": HTTP " + response.code() + " " + body);
      }
    } catch (IOException e) {
      tally.failed("call " + call + ": " + e);
    }
  }

  private static int progress(PrintStream out, int done, int requests, boolean interactive, int printedTenths,
      Queue<String> notes) {
    for (String note = notes.poll(); note != null; note = notes.poll()) {
      out.printf(Locale.ROOT, interactive ? "\r  %-70s%n" : "  %s%n", note);
    }
    int tenths = done * 10 / requests;
    String line = String.format(Locale.ROOT, "  %,6d / %,d calls done (%d%%)", done, requests, done * 100 / requests);
    if (interactive) {
      out.print("\r" + line);
    } else if (tenths > printedTenths) {
      out.println(line);
      return tenths;
    }
    return printedTenths;
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
