package io.lb4j.examples;

import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.okhttp.LoadBalancedOkHttp;
import io.lb4j.okhttp.LoadBalancingInterceptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
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
 * <p>Each reply says which instance answered (its {@code X-Instance} header) and which ones the
 * call tried, in order, as recorded by an interceptor placed after lb4j's, where it sees every
 * attempt: what a service would put in its logs or traces.
 *
 * <p>Thread-safe. {@link #close()} closes the balancer and releases OkHttp's threads and connections.
 */
final class InventoryClient implements AutoCloseable {

  /** One stock answer: the quantity, the instance that served it, and every instance tried. */
  record StockReply(String sku, int quantity, String servedBy, List<String> tried) {
    int attempts() {
      return tried.size();
    }
  }

  private final InventoryClientConfig config;
  private final LoadBalancer lb;
  private final OkHttpClient http;
  private final Map<String, String> idByAddress = new HashMap<>();

  InventoryClient(InventoryClientConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    for (Endpoint instance : config.instances()) {
      idByAddress.put(instance.address(), instance.id());
    }
    this.lb = config.newLoadBalancer();
    LoadBalancingInterceptor routing = LoadBalancingInterceptor.builder()
        .service(config.service(), lb)
        .maxAttempts(config.maxAttempts())
        .build();
    OkHttpClient base = new OkHttpClient.Builder()
        .connectTimeout(config.timeout())
        .readTimeout(config.timeout())
        .build();
    this.http = LoadBalancedOkHttp.wrap(base, routing).newBuilder()
        .addInterceptor(this::recordAttempt)
        .build();
  }

  /**
   * The stock of {@code sku}.
   *
   * @throws IOException the last attempt's failure, earlier ones attached as suppressed, once
   *     every allowed attempt failed; or, with lb-core's
   *     {@link io.lb4j.core.NoEndpointAvailableException} as its cause, if no instance can take the call
   */
  StockReply stock(String sku) throws IOException {
    Objects.requireNonNull(sku, "sku");
    List<String> tried = new ArrayList<>(config.maxAttempts());
    HttpUrl url = new HttpUrl.Builder().scheme("http").host(config.service())
        .addPathSegment("stock").addPathSegment(sku).build();
    Request request = new Request.Builder().url(url).tag(Trail.class, new Trail(tried)).build();
    try (Response response = http.newCall(request).execute()) {
      String body = response.body().string();
      if (!response.isSuccessful()) {
        throw new IOException(config.service() + " answered " + response.code() + " for " + sku + " after trying "
            + tried);
      }
      return new StockReply(sku, Integer.parseInt(body.trim()), response.header(InventoryBackend.INSTANCE_HEADER),
          List.copyOf(tried));
    }
  }

  /** Runs after lb4j's interceptor, once per attempt, with the chosen instance in the URL. */
  private Response recordAttempt(Interceptor.Chain chain) throws IOException {
    Trail trail = chain.request().tag(Trail.class);
    if (trail != null) {
      HttpUrl url = chain.request().url();
      String address = url.host() + ":" + url.port();
      trail.tried().add(idByAddress.getOrDefault(address, address));
    }
    return chain.proceed(chain.request());
  }

  /** The instances one call tried; written by that call's thread only. */
  private record Trail(List<String> tried) {}

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
