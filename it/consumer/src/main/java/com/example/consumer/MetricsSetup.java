package com.example.consumer;

import io.lb4j.core.LoadBalancer;
import io.lb4j.micrometer.InterceptorMetrics;
import io.lb4j.micrometer.LoadBalancerMetrics;
import io.lb4j.okhttp.LoadBalancingInterceptor;
import io.micrometer.core.instrument.MeterRegistry;

/** README "Metrics": meters for a balancer and the interceptor over it. */
public final class MetricsSetup {
  private MetricsSetup() {}

  /** Runs the snippet; returns the interceptor it built, its meters bound to {@code registry}. */
  public static LoadBalancingInterceptor bind(LoadBalancer orders, MeterRegistry registry) {
    // snippet: Metrics
    LoadBalancerMetrics.builder(orders).perEndpoint(true).build().bindTo(registry); // close() with the balancer

    InterceptorMetrics calls = new InterceptorMetrics();
    LoadBalancingInterceptor interceptor = LoadBalancingInterceptor.builder()
        .service("orders", orders).callListener(calls).build();
    calls.bindTo(registry);
    InterceptorMetrics.circuitBreakers(interceptor).bindTo(registry);  // Resilience4j's own binder
    // end snippet
    return interceptor;
  }
}
