package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** enqueue() through a wrapped client: as concurrent as execute(), and no waiting on its threads. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AsyncConcurrencyTest {
  @RegisterExtension final Harness harness = new Harness();

  @Test
  void enqueuedCallsToOneServiceRunMoreThanOkHttpsFivePerHostAtOnce() throws Exception {
    int calls = 12;
    Backends backends = harness.backends(4);
    // Every request waits until all of them are in: only reachable if all run at once.
    CountDownLatch allIn = new CountDownLatch(calls);
    backends.respondAll(request -> {
      allIn.countDown();
      try {
        allIn.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Backends.ok(0);
    });
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(),
        harness.interceptor(harness.balancer(backends.serverList())).build());

    List<CompletableFuture<Response>> results = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      results.add(Harness.enqueue(client.newCall(Harness.get("http://orders/"))));
    }

    assertThat(allIn.await(4, TimeUnit.SECONDS)).as("all %d calls in flight together", calls).isTrue();
    for (CompletableFuture<Response> result : results) {
      try (Response response = result.get(10, TimeUnit.SECONDS)) {
        assertThat(response.code()).isEqualTo(200);
      }
    }
  }

  @Test
  void enqueuedRetriesDoNotWaitOnADispatcherThread() throws Exception {
    Backends backends = harness.backends(2);
    backends.respond(0, request -> new MockResponse.Builder().code(503)
        .setHeader("Retry-After", "1").build());
    List<String> waitingThreads = new CopyOnWriteArrayList<>();
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(),
        harness.interceptor(harness.balancer(backends.serverList()))
            .sleeper((nanos, call) -> waitingThreads.add(Thread.currentThread().getName())).build());

    List<CompletableFuture<Response>> results = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      results.add(Harness.enqueue(client.newCall(Harness.get("http://orders/"))));
    }
    for (CompletableFuture<Response> result : results) {
      try (Response response = result.get(10, TimeUnit.SECONDS)) {
        assertThat(response.code()).isEqualTo(200);
      }
    }

    assertThat(backends.requestCount(0)).as("503s retried elsewhere").isPositive();
    assertThat(waitingThreads).isEmpty();
  }

  @Test
  void executedRetriesStillWaitTheirBackoffOnTheCallersThread() throws Exception {
    Backends backends = harness.backends(2);
    backends.respond(0, request -> Backends.status(503));
    List<String> waitingThreads = new CopyOnWriteArrayList<>();
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(),
        harness.interceptor(harness.balancer(backends.serverList()))
            .sleeper((nanos, call) -> waitingThreads.add(Thread.currentThread().getName())).build());

    for (int i = 0; i < 2; i++) {
      try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }
    }

    // Round robin: one or both calls began at the 503 one; each waited on the caller's thread.
    assertThat(waitingThreads).isNotEmpty().containsOnly(Thread.currentThread().getName());
  }
}
