package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many threads, a churning server list and a flaky server: no call lost, no pick left open. */
class LoadBalancingInterceptorConcurrencyTest {

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void concurrentCallsUnderListChurnAllSucceedAndCompleteEveryPick() throws Exception {
    try (Backends backends = new Backends(4)) {
      AtomicInteger seen = new AtomicInteger();
      backends.respond(3, request -> seen.incrementAndGet() % 4 == 0 ? Backends.status(503) : Backends.ok(3));
      MutableServerList servers = MutableServerList.of(backends.endpoint(0), backends.endpoint(1),
          backends.endpoint(3));
      try (LoadBalancer balancer = LoadBalancer.builder(servers).name("orders").build()) {
        LoadBalancingInterceptor interceptor = LoadBalancingInterceptor.builder()
            .service("orders", balancer)
            .backoff(Duration.ZERO, Duration.ZERO)
            .circuitBreakerConfig(CircuitBreakerConfig.custom().slidingWindowSize(10_000)
                .minimumNumberOfCalls(10_000).build())
            .build();
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequestsPerHost(64);
        OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient.Builder()
            .connectionPool(new ConnectionPool(32, 1, TimeUnit.MINUTES))
            .dispatcher(dispatcher).build(), interceptor);

        int threads = 8;
        int callsPerThread = 100;
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
          Endpoint churning = backends.endpoint(2);
          Future<?> churn = pool.submit(() -> {
            while (running.get()) {
              servers.add(churning);
              LockSupport.parkNanos(50_000);
              servers.remove(churning);
            }
          });
          List<Future<Integer>> failures = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            failures.add(pool.submit(() -> {
              int failed = 0;
              for (int i = 0; i < callsPerThread; i++) {
                try (Response response = client.newCall(
                    new Request.Builder().url("http://orders/x").build()).execute()) {
                  if (response.code() != 200) {
                    failed++;
                  }
                }
              }
              return failed;
            }));
          }
          int failed = 0;
          for (Future<Integer> f : failures) {
            failed += f.get(25, TimeUnit.SECONDS);
          }
          running.set(false);
          churn.get(5, TimeUnit.SECONDS);

          assertThat(failed).isZero();
          for (Endpoint endpoint : servers.endpoints()) {
            assertThat(balancer.stats(endpoint.id()).orElseThrow().inFlight())
                .as("in flight at %s", endpoint.id()).isZero();
          }
          assertThat(backends.requestCount(3)).as("the flaky server took part").isPositive();
          // A call that picked the leaver just before a removal may create its breaker just after
          // it; the next membership change drops it. With every call done, one more churn step
          // must leave no breaker of the leaver.
          servers.add(churning);
          servers.remove(churning);
          assertThat(interceptor.circuitBreakerRegistry().getAllCircuitBreakers())
              .extracting(CircuitBreaker::getName)
              .isSubsetOf("orders/" + backends.endpoint(0).id(), "orders/" + backends.endpoint(1).id(),
                  "orders/" + backends.endpoint(3).id());
        } finally {
          running.set(false);
          pool.shutdownNow();
        }
      }
    }
  }
}
