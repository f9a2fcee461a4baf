package io.lb4j.examples;

import io.lb4j.core.LoadBalancer;
import io.lb4j.okhttp.CallTrace;
import io.lb4j.okhttp.LoadBalancedOkHttp;
import io.lb4j.okhttp.LoadBalancingInterceptor;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The orders service's client for the inventory service: one OkHttp client, wrapped by lb4j, that
 * sends {@code GET http://inventory/stock/{sku}} to an instance chosen by the configured
 * {@link LoadBalancer}. lb4j's interceptor retries a failed attempt (connection refused, connection
 * cut, 502/503/504) on an instance the call has not tried, up to the configured attempts; stock
 * look-ups are idempotent GETs, so that is safe even when the request reached the instance.
 *
 * <p>Each reply says which instance answered (its {@code X-Instance} header) and carries the call's
 * {@link CallTrace}: every attempt, where it went and how it ended, which lb4j's interceptor
 * attaches to the response when {@code callTrace} is on. What a service would put in its logs or
 * traces; a failed call's exception carries it too ({@link CallTrace#of(Throwable)}).
 *
 * <p>Thread-safe. {@link #close()} closes the balancer and releases OkHttp's threads and connections.
 */
final class InventoryClient implements AutoCloseable {

  /** One stock answer: the quantity, the instance that served it, and the call's trace. */
  record StockReply(String sku, int quantity, String servedBy, CallTrace trace) {
    /** The instances the call tried, in order. */
    List<String> tried() {
      return trace.attempts().stream().map(attempt -> attempt.endpoint().id()).toList();
    }

    int attempts() {
      return trace.attempts().size();
    }
  }

  private final InventoryClientConfig config;
  private final LoadBalancer lb;
  private final OkHttpClient http;

  InventoryClient(InventoryClientConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.lb = config.newLoadBalancer();
    LoadBalancingInterceptor routing = LoadBalancingInterceptor.builder()
        .service(config.service(), lb)
        .maxAttempts(config.maxAttempts())
        .callTrace(CallTrace.Detail.ATTEMPTS)
        .build();
    OkHttpClient base = new OkHttpClient.Builder()
        .connectTimeout(config.timeout())
        .readTimeout(config.timeout())
        .build();
    this.http = LoadBalancedOkHttp.wrap(base, routing);
  }

  /**
   * The stock of {@code sku}.
   *
   * @throws IOException the last attempt's failure, earlier ones and the call's trace attached as
   *     suppressed, once every allowed attempt failed; or, with lb-core's
   *     {@link io.lb4j.core.NoEndpointAvailableException} as its cause, if no instance can take the call
   */
  StockReply stock(String sku) throws IOException {
    Objects.requireNonNull(sku, "sku");
    HttpUrl url = new HttpUrl.Builder().scheme("http").host(config.service())
        .addPathSegment("stock").addPathSegment(sku).build();
    Request request = new Request.Builder().url(url).build();
    try (Response response = http.newCall(request).execute()) {
      String body = response.body().string();
      CallTrace trace = CallTrace.of(response).orElseThrow(); // a routed call, traced
      if (!response.isSuccessful()) {
        throw new IOException(config.service() + " answered " + response.code() + " for " + sku + "; " + trace);
      }
      return new StockReply(sku, Integer.parseInt(body.trim()), response.header(InventoryBackend.INSTANCE_HEADER),
          trace);
    }
  }

  LoadBalancer loadBalancer() {
    return lb;
  }

  @Override
  public void close() {
    lb.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
