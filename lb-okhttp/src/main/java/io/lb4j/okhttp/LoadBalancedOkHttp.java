package io.lb4j.okhttp;

import io.lb4j.core.LoadBalancer;
import io.lb4j.okhttp.internal.RequestSentMarker;
import java.util.Map;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * Wraps an {@link OkHttpClient} so that calls to logical hosts go through lb4j:
 *
 * <pre>{@code
 * OkHttpClient client = LoadBalancedOkHttp.wrap(existing, Map.of("orders", ordersBalancer));
 * client.newCall(new Request.Builder().url("http://orders/v1/items").build()).execute();
 * }</pre>
 *
 * <p>The returned client shares the original's connection pool and dispatcher and differs from it
 * in three ways: a {@link LoadBalancingInterceptor} is its last application interceptor (so the
 * user's own interceptors see the logical URL once per call, and each retry goes straight to the
 * network); a network interceptor marks when an attempt got a connection, which lets connection
 * failures of non-idempotent requests be retried safely; and OkHttp's own
 * {@code retryOnConnectionFailure} is off, because it re-sends a request, POSTs included, on the
 * same endpoint after a connection reset. The original client is not modified.
 *
 * <p>Stateless and thread-safe; the returned client is as thread-safe as any {@link OkHttpClient}.
 * Null arguments fail with {@link NullPointerException}; an invalid service map fails as
 * {@link LoadBalancingInterceptor.Builder#services} does.
 */
public final class LoadBalancedOkHttp {
  private LoadBalancedOkHttp() {}

  /** {@code client}, routing each of {@code services}' hosts with default retry settings. */
  public static OkHttpClient wrap(OkHttpClient client, Map<String, LoadBalancer> services) {
    Objects.requireNonNull(services, "services");
    return wrap(client, LoadBalancingInterceptor.builder().services(services).build());
  }

  /** {@code client}, routing through {@code interceptor}. */
  public static OkHttpClient wrap(OkHttpClient client, LoadBalancingInterceptor interceptor) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(interceptor, "interceptor");
    return client.newBuilder()
        .addInterceptor(interceptor.withSendTracking())
        .addNetworkInterceptor(RequestSentMarker.INSTANCE)
        .retryOnConnectionFailure(false)
        .build();
  }
}
