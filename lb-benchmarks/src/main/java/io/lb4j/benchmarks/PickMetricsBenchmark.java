package io.lb4j.benchmarks;

import io.lb4j.core.Pick;
import io.lb4j.micrometer.LoadBalancerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link LoadBalancerBenchmark}'s pick + complete (its benchmark methods, inherited), with and
 * without lb-micrometer's {@link LoadBalancerMetrics} (per-endpoint meters on) bound to a
 * Prometheus registry: what the metrics add to a call. Picks are counted by counters the balancer
 * keeps anyway and the gauges are read only by a scrape, so both settings should show the same
 * 40 B/op (the {@link Pick} handle) under {@code -prof gc}. JMH runs the superclass's setup (which
 * builds the balancer) before this class's.
 */
public class PickMetricsBenchmark extends LoadBalancerBenchmark {

  /** Whether the balancer's meters are bound. */
  @Param({"false", "true"})
  public boolean metered;

  private LoadBalancerMetrics metrics;
  private PrometheusMeterRegistry registry;

  @Setup
  public void bindMetrics() {
    if (metered) {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      metrics = LoadBalancerMetrics.builder(balancer).perEndpoint(true).build();
      metrics.bindTo(registry);
    }
  }

  @TearDown
  public void unbindMetrics() {
    if (metered) {
      // Proves the meters were live. Not a scrape: JMH counts a trial teardown's allocation in
      // the last iteration, and a scrape's megabytes would show there as bytes per pick.
      double picks = registry.get(LoadBalancerMetrics.PICKS).tag("result", "ok").functionCounter().count();
      if (!(picks > 0)) {
        throw new IllegalStateException("the pick counter read " + picks);
      }
      metrics.close();
      registry.close();
    }
  }
}
