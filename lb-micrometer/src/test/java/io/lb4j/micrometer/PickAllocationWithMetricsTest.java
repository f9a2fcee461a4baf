package io.lb4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Algorithms;
import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.ServerList;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Binding the metrics adds no allocation to a pick: 100 000 picks + completes allocate the same
 * bytes on the picking thread with and without the binder (one extra byte per pick would add
 * 100 kB). The JMH proof with {@code -prof gc} is lb-benchmarks' PickMetricsBenchmark.
 */
class PickAllocationWithMetricsTest {
  private static final int PICKS = 100_000;

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  private static long bytesFor100kPicks(boolean metered) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      endpoints.add(Endpoint.of("10.0.0." + (i + 1), 8080));
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (LoadBalancer balancer = LoadBalancer.builder(ServerList.of(endpoints)).name("orders")
            .algorithm(Algorithms.leastResponseTime()).build();
        LoadBalancerMetrics metrics = LoadBalancerMetrics.builder(balancer).perEndpoint(true).build()) {
      if (metered) {
        metrics.bindTo(registry);
      }
      for (int i = 0; i < PICKS; i++) {
        balancer.pick().complete(true);
      }
      allocatedBytes();
      long before = allocatedBytes();
      for (int i = 0; i < PICKS; i++) {
        balancer.pick().complete(true);
      }
      long allocated = allocatedBytes() - before;
      if (metered) {
        assertThat(registry.scrape()).contains("lb_picks_total{result=\"ok\",service=\"orders\"} 200000");
      }
      return allocated;
    } finally {
      registry.close();
    }
  }

  @Test
  void bindingTheMetricsAddsNoAllocationToPicks() {
    long plain = bytesFor100kPicks(false);
    long metered = bytesFor100kPicks(true);
    assertThat(Math.abs(metered - plain)).as("bytes: plain %d, metered %d", plain, metered)
        .isLessThan(PICKS / 2);
  }
}
