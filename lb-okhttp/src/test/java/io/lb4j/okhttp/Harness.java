package io.lb4j.okhttp;

import io.lb4j.core.Algorithms;
import io.lb4j.core.EndpointStats;
import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the regression tests of issue 11 share: backends, balancers with the library's defaults
 * (round robin so that shares are exact), and closing all of it. Register it with
 * {@code @RegisterExtension} and it closes what it built after each test.
 */
final class Harness implements AutoCloseable, AfterEachCallback {
  private final List<AutoCloseable> closeables = new ArrayList<>();

  Backends backends(int count) throws IOException {
    Backends backends = new Backends(count);
    closeables.add(backends);
    return backends;
  }

  LoadBalancer balancer(MutableServerList servers) {
    LoadBalancer balancer = LoadBalancer.builder(servers).name("orders")
        .algorithm(Algorithms.roundRobin()).build();
    closeables.add(balancer);
    return balancer;
  }

  LoadBalancingInterceptor.Builder interceptor(LoadBalancer balancer) {
    return LoadBalancingInterceptor.builder().service("orders", balancer);
  }

  /**
   * A client with plain OkHttp defaults ({@code retryOnConnectionFailure} on, as most users leave
   * it), wrapped with {@link #interceptor}'s defaults over {@code balancer}.
   */
  OkHttpClient client(LoadBalancer balancer) {
    return LoadBalancedOkHttp.wrap(new OkHttpClient(), interceptor(balancer).build());
  }

  <T extends AutoCloseable> T closeLater(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  static EndpointStats stats(LoadBalancer balancer, Endpoint endpoint) {
    return balancer.stats(endpoint.id()).orElseThrow();
  }

  static Request get(String url) {
    return new Request.Builder().url(url).build();
  }

  static Request post(String url) {
    return new Request.Builder().url(url)
        .post(RequestBody.create("order", MediaType.get("text/plain"))).build();
  }

  /** The call's response, or its failure, as a future: for enqueue(). */
  static CompletableFuture<Response> enqueue(Call call) {
    CompletableFuture<Response> result = new CompletableFuture<>();
    call.enqueue(new Callback() {
      @Override
      public void onResponse(Call call, Response response) {
        result.complete(response);
      }

      @Override
      public void onFailure(Call call, IOException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    close();
  }

  @Override
  public void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }
}
