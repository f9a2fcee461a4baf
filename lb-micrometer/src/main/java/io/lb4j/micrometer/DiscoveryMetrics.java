package io.lb4j.micrometer;

import io.lb4j.core.discovery.DiscoveryServerList;
import io.lb4j.core.discovery.DiscoveryStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters for one discovery source (DNS, Consul, ZooKeeper, Kubernetes), read from its
 * {@link DiscoveryServerList#status()}, every one tagged {@code service} with a name you choose
 * (typically the balancer's, so these series join {@link LoadBalancerMetrics}'):
 * <ul>
 *   <li>{@value #UPDATES} (function counter, tag {@code result}): registry answers received
 *       ({@code success}, empty answers included) and failed queries ({@code failure});
 *   <li>{@value #SINCE_SUCCESS} (time gauge): time since the last successful answer, by the
 *       source's own clock; NaN before the first;
 *   <li>{@value #CONSECUTIVE_FAILURES} (gauge): failed queries since the last success;
 *   <li>{@value #READY} (gauge): 1 once the initial sync is complete, else 0;
 *   <li>{@value #ENDPOINTS} (gauge): endpoints the source publishes now.
 * </ul>
 * Gauges read the status when the registry asks, off any call path. Thread-safe. Bind it to one
 * registry and {@link #close()} it with the source: that removes its meters.
 */
public final class DiscoveryMetrics implements MeterBinder, AutoCloseable {
  /** Function counter, tag {@code result}: answers ({@code success}) and failed queries. */
  public static final String UPDATES = "lb.discovery.updates";
  /** Time gauge: time since the last successful answer. */
  public static final String SINCE_SUCCESS = "lb.discovery.since.success";
  /** Gauge: failed queries since the last success. */
  public static final String CONSECUTIVE_FAILURES = "lb.discovery.consecutive.failures";
  /** Gauge: 1 once the initial sync is complete. */
  public static final String READY = "lb.discovery.ready";
  /** Gauge: endpoints the source publishes now. */
  public static final String ENDPOINTS = "lb.discovery.endpoints";

  private final String service;
  private final DiscoveryServerList source;
  private final List<Meter> meters = new ArrayList<>();
  private MeterRegistry registry;
  private boolean closed;

  private DiscoveryMetrics(String service, DiscoveryServerList source) {
    this.service = service;
    this.source = source;
  }

  /**
   * Meters of {@code source}, tagged {@code service} = {@code service}.
   *
   * @throws IllegalArgumentException if {@code service} is blank
   */
  public static DiscoveryMetrics of(String service, DiscoveryServerList source) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(source, "source");
    if (service.isBlank()) {
      throw new IllegalArgumentException("service must not be blank, was '" + service + "'");
    }
    return new DiscoveryMetrics(service, source);
  }

  /**
   * Registers the meters with {@code registry}.
   *
   * @throws IllegalStateException if already bound, or closed
   */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    if (closed || this.registry != null) {
      throw new IllegalStateException("discovery metrics of '" + service + "' are "
          + (closed ? "closed" : "already bound to " + this.registry + "; bind them once"));
    }
    this.registry = registry;
    meters.add(FunctionCounter.builder(UPDATES, source, s -> s.status().answers())
        .tags("service", service, "result", "success")
        .description("Registry answers and failed queries, by result").register(registry));
    meters.add(FunctionCounter.builder(UPDATES, source, s -> s.status().failures())
        .tags("service", service, "result", "failure")
        .description("Registry answers and failed queries, by result").register(registry));
    meters.add(TimeGauge.builder(SINCE_SUCCESS, source, TimeUnit.MILLISECONDS,
            DiscoveryMetrics::millisSinceSuccess)
        .tag("service", service).description("Time since the registry last answered")
        .strongReference(true).register(registry));
    meters.add(Gauge.builder(CONSECUTIVE_FAILURES, source, s -> s.status().consecutiveFailures())
        .tag("service", service).description("Failed queries since the last success")
        .strongReference(true).register(registry));
    meters.add(Gauge.builder(READY, source, s -> s.status().ready() ? 1 : 0)
        .tag("service", service).description("1 once the initial sync is complete")
        .strongReference(true).register(registry));
    meters.add(Gauge.builder(ENDPOINTS, source, s -> s.status().endpoints())
        .tag("service", service).description("Endpoints the source publishes")
        .strongReference(true).register(registry));
  }

  private static double millisSinceSuccess(DiscoveryServerList source) {
    DiscoveryStatus status = source.status();
    Instant now = source.options().clock().instant();
    return status.lastSuccess()
        .map(at -> (double) Duration.between(at, now).toMillis())
        .orElse(Double.NaN);
  }

  /** Removes the meters from the registry; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (registry != null) {
      for (Meter meter : meters) {
        registry.remove(meter);
      }
    }
    meters.clear();
  }
}
