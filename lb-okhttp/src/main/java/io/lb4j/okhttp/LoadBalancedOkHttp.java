package io.lb4j.okhttp;

import io.lb4j.core.LoadBalancer;
import io.lb4j.okhttp.internal.CancelRelay;
import io.lb4j.okhttp.internal.DispatcherThreads;
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
 * <p>The returned client shares the original's connection pool, threads and settings, and adds:
 * a {@link LoadBalancingInterceptor} as its last application interceptor (so the user's own
 * interceptors see the logical URL once per call, and each retry goes straight to the network);
 * and a network interceptor, first among network interceptors, that tells "never connected" from
 * "may have been sent" and keeps OkHttp's own re-sends (after a connection failure with
 * {@code retryOnConnectionFailure}, and of a 408 or a {@code 503 Retry-After: 0}) away from
 * balanced calls, so that a request that is not idempotent reaches a server at most once. Calls to
 * hosts it does not balance behave as in the original client, with one difference: the returned
 * client has a dispatcher of its own, on the original's threads and with its {@code maxRequests},
 * whose per-host cap ({@code maxRequestsPerHost}) is lifted to {@code maxRequests}. OkHttp counts
 * {@code enqueue()}d calls per host of the URL, which for a balanced call is the logical host of a
 * whole fleet: without this, a service took 5 asynchronous calls at a time, where
 * {@code execute()} from many threads is not limited. Hedged attempts run as calls of a sibling
 * client (same pool, settings and network interceptors; no application interceptors, no dispatcher
 * cap) on lb4j's own daemon threads, so that hedged {@code enqueue()}d calls holding the
 * original's threads never keep their own attempts from running; its event listeners also relay
 * a call's cancel to its hedged attempt, whose body the caller may still be reading. The original
 * client is not modified.
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
    return markedFirst(client.newBuilder()
        .addInterceptor(interceptor.forWrappedClient(attemptClient(client)))
        .eventListenerFactory(CancelRelay.around(client.eventListenerFactory()))
        .dispatcher(DispatcherThreads.dispatcherLike(client.dispatcher())))
        .build();
  }

  /**
   * The client that runs hedged attempts as calls of their own: the original's settings and network
   * interceptors, none of its application interceptors (they ran once for the call), no dispatcher
   * cap (the hedging policy bounds attempts per call), and threads of lb4j's own.
   */
  private static OkHttpClient attemptClient(OkHttpClient client) {
    OkHttpClient.Builder builder = markedFirst(client.newBuilder()
        .dispatcher(DispatcherThreads.forHedgedAttempts()));
    builder.interceptors().clear();
    return builder.build();
  }

  private static OkHttpClient.Builder markedFirst(OkHttpClient.Builder builder) {
    // First, so that it sees every failure of what runs below it, the user's network interceptors
    // included, and is the last to touch a response on its way up.
    builder.networkInterceptors().add(0, RequestSentMarker.INSTANCE);
    return builder;
  }
}
