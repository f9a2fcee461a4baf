package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import io.lb4j.core.Pick;
import io.lb4j.core.PickContext;
import io.lb4j.okhttp.CallTrace;
import io.lb4j.okhttp.LoadBalancedOkHttp;
import io.lb4j.okhttp.LoadBalancingInterceptor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the README's runnable snippets, with lb4j's defaults, against local backends. */
class ReadmeSnippetsRunTest {
  private static final String A = "10.0.0.1:8080";
  private static final String B = "10.0.0.2:8080";
  private static final String C = "10.0.0.3:8080";

  private Backends backends;
  private OkHttpClient existingClient;

  @BeforeEach
  void start() throws IOException {
    backends = new Backends(A, B, C);
    existingClient = backends.client();
  }

  @AfterEach
  void stop() {
    existingClient.dispatcher().executorService().shutdown();
    existingClient.connectionPool().evictAll();
    backends.close();
  }

  @Test
  void useItSendsOneCallToAPickedInstanceAndTheAddedOneJoinsRotation() throws IOException {
    UseIt.Result result = new UseIt(this::get).run();
    try (LoadBalancer lb = result.lb()) {
      assertEquals(1, backends.hits(A, "/") + backends.hits(B, "/"), "the snippet's one call");
      assertEquals(0, backends.hits(C, "/"), "10.0.0.3 was added after the call");
      Set<String> picked = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        try (Pick pick = lb.pick(PickContext.create())) {
          picked.add(pick.endpoint().id());
          pick.complete(true);
        }
      }
      assertEquals(Set.of(A, B, C), picked, "round robin over the three after add()");
    }
  }

  @Test
  void wrappingOkHttpSendsTheCallToOneOrdersInstanceAtItsPath() throws IOException {
    WrappingOkHttp.run(existingClient);

    assertEquals(1, backends.hits(A, "/v1/items") + backends.hits(B, "/v1/items"));
  }

  @Test
  void tracingACallReportsItsOneAttemptToTheInstanceThatAnswered() throws IOException {
    List<CallTrace> reported = new ArrayList<>();
    try (LoadBalancer orders = LoadBalancer.builder(MutableServerList.of(
        Endpoint.of("10.0.0.1", 8080), Endpoint.of("10.0.0.2", 8080))).name("orders").build()) {
      TracingACall.run(existingClient, orders, reported::add);
    }

    assertEquals(1, reported.size(), "one trace for the one call");
    List<CallTrace.Attempt> attempts = reported.get(0).attempts();
    assertEquals(1, attempts.size());
    String served = attempts.get(0).endpoint().id();
    assertEquals(1, backends.hits(served, "/v1/items"), "the traced endpoint is the one that served");
    assertEquals(200, attempts.get(0).status().getAsInt());
  }

  @Test
  void selectorApiSelectsTheOnlyEndpoint() {
    Endpoint only = Endpoint.of("10.0.0.1", 8080);

    assertEquals(only, SelectorApi.choose(List.of(only)));
  }

  @Test
  void healthTrackerSnippetServesThroughItsBalancer() {
    AtomicInteger served = new AtomicInteger();
    MutableServerList servers = MutableServerList.of(Endpoint.of("10.0.0.1", 8080));
    List<String> events = new ArrayList<>();
    new HealthTrackerSetup(events::add, lb -> {
      try (Pick pick = lb.pick(PickContext.create())) {
        get(pick.endpoint());
        pick.complete(true);
        served.incrementAndGet();
      }
    }).run(servers);

    assertEquals(1, served.get());
    assertEquals(1, backends.hits(A, "/"));
  }

  @Test
  void metricsSnippetMetersTheBalancerAndTheCallsThroughItsInterceptor() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LoadBalancer orders = LoadBalancer.builder(MutableServerList.of(
        Endpoint.of("10.0.0.1", 8080), Endpoint.of("10.0.0.2", 8080))).name("orders").build()) {
      try (LoadBalancingInterceptor interceptor = MetricsSetup.bind(orders, registry)) {
        OkHttpClient client = LoadBalancedOkHttp.wrap(existingClient, interceptor);
        try (Response response = client.newCall(
            new Request.Builder().url("http://orders/v1/items").build()).execute()) {
          assertEquals(200, response.code());
        }
      }

      assertEquals(2.0, registry.get("lb.members").tag("service", "orders").gauge().value());
      assertEquals(1L, registry.get("lb.client.requests")
          .tag("service", "orders").tag("outcome", "success").timer().count());
      assertTrue(registry.find("lb.endpoint.in.flight").tag("endpoint", A).gauge() != null,
          "perEndpoint(true) registers a series per endpoint");
    }
  }

  private void get(Endpoint endpoint) {
    Request request = new Request.Builder()
        .url("http://" + endpoint.host() + ":" + endpoint.port() + "/").build();
    try (Response response = existingClient.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException("status " + response.code() + " from " + endpoint);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
