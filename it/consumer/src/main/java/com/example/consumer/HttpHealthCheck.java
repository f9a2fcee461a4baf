package com.example.consumer;

import io.lb4j.core.HealthTracker;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.ServerList;
import io.lb4j.okhttp.OkHttpHealthCheck;
import okhttp3.OkHttpClient;

/** README "Wrapping OkHttp", active HTTP health checks. */
public final class HttpHealthCheck {
  private HttpHealthCheck() {}

  /** Builds the snippet's balancer (the caller closes it and its tracker). */
  public static LoadBalancer build(OkHttpClient plainClient, ServerList servers) {
    // snippet: HttpHealthCheck
    HealthTracker health = HealthTracker.builder()
        .healthCheck(OkHttpHealthCheck.builder(plainClient).path("/health").build())
        .build();
    LoadBalancer orders = LoadBalancer.builder(servers).name("orders").healthTracker(health).build();
    // end snippet
    return orders;
  }
}
