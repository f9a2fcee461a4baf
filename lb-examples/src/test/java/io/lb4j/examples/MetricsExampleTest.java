package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The metrics example runs its scenario, prints its state tables from the meters, and its
 * Prometheus scrape holds the series the README documents, with the values the scenario implies.
 */
class MetricsExampleTest {

  @Test
  @Timeout(60)
  void scrapeHoldsTheDocumentedSeriesAndTablesFollowTheFleet() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String scrape = MetricsExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8),
        Duration.ofMillis(500));
    String output = bytes.toString(StandardCharsets.UTF_8);

    assertThat(scrape).contains(
        "lb_members{service=\"inventory\"} 3",
        "lb_endpoints{service=\"inventory\",state=\"eligible\"} 3",
        "lb_endpoints{service=\"inventory\",state=\"ejected\"} 0",
        "lb_endpoints{service=\"inventory\",state=\"probe_down\"} 0",
        "lb_endpoints{service=\"inventory\",state=\"marked\"} 0",
        "lb_endpoints{service=\"inventory\",state=\"reported\"} 0",
        "lb_endpoints{service=\"inventory\",state=\"overridden\"} 0",
        "lb_endpoints{service=\"inventory\",state=\"ramping\"} 0",
        "lb_panic{service=\"inventory\"} 0",
        "lb_zone_spillover{service=\"inventory\"} 0",
        "lb_picks_total{result=\"ok\",service=\"inventory\"}",
        "lb_picks_total{result=\"empty_list\",service=\"inventory\"} 0",
        "lb_picks_total{result=\"all_unhealthy\",service=\"inventory\"} 0",
        "lb_picks_total{result=\"all_excluded\",service=\"inventory\"} 0",
        "lb_ejections_total{reason=\"outlier\",service=\"inventory\"} 1",
        "lb_endpoint_in_flight{endpoint=\"inventory-4\",service=\"inventory\"} 0",
        "lb_endpoint_healthy{endpoint=\"inventory-4\",service=\"inventory\"} 1",
        "lb_endpoint_weight{endpoint=\"inventory-4\",service=\"inventory\"}",
        "lb_endpoint_latency_seconds{endpoint=\"inventory-4\",service=\"inventory\"}",
        "lb_client_requests_seconds_count{outcome=\"success\",service=\"inventory\"}",
        "lb_client_attempts_seconds_count{kind=\"first\",outcome=\"io_error\",service=\"inventory\"}",
        "lb_client_attempts_seconds_count{kind=\"retry\",outcome=\"success\",service=\"inventory\"}",
        "lb_client_retries_total{result=\"retried\",service=\"inventory\"}",
        "resilience4j_circuitbreaker_state{name=\"inventory/inventory-4\",state=\"closed\"} 1");
    assertThat(scrape).as("the crashed instance's meters left with it")
        .doesNotContain("endpoint=\"inventory-2\"").doesNotContain("inventory/inventory-2");
    assertThat(output).contains("phase 3:", "  endpoint     healthy weight in flight    latency",
        "one pick, explained:", "inventory (smooth-weighted-round-robin): ");
    assertThat(output).containsPattern("\\[t= *\\d+\\.\\ds\\] inventory: eligible \\d, ejected \\d");
  }
}
