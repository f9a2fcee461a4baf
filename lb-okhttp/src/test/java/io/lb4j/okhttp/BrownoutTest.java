package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lb4j.core.LoadBalancer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet-wide brownout through the wrapped client: three real loopback backends answer 503 to 60%
 * of requests while 8 threads call through the balancer. Callers must fail no more often than the
 * backends do (never the near-100% of a brownout turned outage), and stop failing within a second
 * or two of the backends recovering.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrownoutTest {
  private static final Logger log = LoggerFactory.getLogger(BrownoutTest.class);
  private static final double BACKEND_FAILURE_RATE = 0.6;
  private static final int THREADS = 8;

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private ExecutorService pool;

  @AfterEach
  void closeAll() throws Exception {
    if (pool != null) {
      pool.shutdownNow();
    }
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
  }

  /** Calls made in one phase, and how many of them the caller saw fail (5xx or exception). */
  private record Tally(long calls, long failures) {
    double failureRate() {
      return calls == 0 ? 0 : (double) failures / calls;
    }
  }

  private Backends backends() throws IOException {
    Backends backends = new Backends(3);
    closeables.add(backends);
    return backends;
  }

  /** A balancer with every default: least response time, the default tracker. */
  private LoadBalancer balancer(Backends backends) {
    LoadBalancer balancer = LoadBalancer.builder(backends.serverList()).name("orders").build();
    closeables.add(balancer);
    return balancer;
  }

  @Test
  void withAllDefaultsCallersFailNoMoreThanTheBackendsAndRecoverAtOnce() throws Exception {
    Backends backends = backends();
    LoadBalancer balancer = balancer(backends);
    OkHttpClient client = LoadBalancedOkHttp.wrap(plainClient(), Map.of("orders", balancer));

    runBrownout(backends, client);
  }

  @Test
  void withBreakersThatCountFailuresTooOpenBreakersCannotTakeEveryEndpointOut() throws Exception {
    Backends backends = backends();
    LoadBalancer balancer = balancer(backends);
    LoadBalancingInterceptor interceptor = LoadBalancingInterceptor.builder()
        .service("orders", balancer)
        .circuitBreakerConfig(CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(20).minimumNumberOfCalls(10).failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(10))
            .permittedNumberOfCallsInHalfOpenState(3).build())
        .build();
    OkHttpClient client = LoadBalancedOkHttp.wrap(plainClient(), interceptor);

    AtomicLong openings = new AtomicLong();
    interceptor.circuitBreakerRegistry().getEventPublisher().onEntryAdded(added ->
        added.getAddedEntry().getEventPublisher().onStateTransition(transition -> {
          if (transition.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
            openings.incrementAndGet();
          }
        }));

    runBrownout(backends, client);
    assertThat(openings.get()).as("breakers opened during the brownout, yet calls went on")
        .isPositive();
  }

  private void runBrownout(Backends backends, OkHttpClient client) throws Exception {
    backends.respondAll(request -> ThreadLocalRandom.current().nextDouble() < BACKEND_FAILURE_RATE
        ? Backends.status(503) : Backends.ok(0));
    pool = Executors.newFixedThreadPool(THREADS);

    Tally brownout = traffic(client, Duration.ofSeconds(4));
    log.info("brownout: {} calls, caller-visible failure rate {}", brownout.calls(),
        brownout.failureRate());
    assertThat(brownout.calls()).isGreaterThan(100);
    assertThat(brownout.failureRate()).as("caller-visible failure rate during the brownout")
        .isLessThanOrEqualTo(BACKEND_FAILURE_RATE);

    for (int i = 0; i < 3; i++) {
      int index = i;
      backends.respond(i, request -> Backends.ok(index));
    }
    traffic(client, Duration.ofSeconds(1)); // the second allowed for recovery
    Tally recovered = traffic(client, Duration.ofSeconds(1));
    log.info("after recovery: {} calls, caller-visible failure rate {}", recovered.calls(),
        recovered.failureRate());
    assertThat(recovered.calls()).isGreaterThan(50);
    assertThat(recovered.failures()).as("failures from 1 s to 2 s after the backends recovered")
        .isZero();
  }

  /** {@value #THREADS} threads calling for {@code duration}. */
  private Tally traffic(OkHttpClient client, Duration duration) throws Exception {
    long deadline = System.nanoTime() + duration.toNanos();
    AtomicLong calls = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      workers.add(pool.submit(() -> {
        while (System.nanoTime() - deadline < 0) {
          calls.incrementAndGet();
          try (Response response = client.newCall(
              new Request.Builder().url("http://orders/items").build()).execute()) {
            if (response.code() != 200) {
              failures.incrementAndGet();
            }
          } catch (IOException e) {
            failures.incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<?> worker : workers) {
      worker.get(duration.toSeconds() + 20, TimeUnit.SECONDS);
    }
    return new Tally(calls.get(), failures.get());
  }

  private OkHttpClient plainClient() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequestsPerHost(THREADS * 2);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(THREADS * 2, 1, TimeUnit.MINUTES))
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(2))
        .build();
  }
}
