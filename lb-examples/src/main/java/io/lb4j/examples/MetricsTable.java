package io.lb4j.examples;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Renders one service's lb4j meters as a text table: the service's states and pick count, then one
 * row per endpoint (healthy, weight, in flight, latency estimate). Reads only the registry, as a
 * dashboard would. Thread-safe.
 */
final class MetricsTable {
  private final MeterRegistry registry;
  private final String service;

  MetricsTable(MeterRegistry registry, String service) {
    this.registry = registry;
    this.service = service;
  }

  String render(long elapsedNanos) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%n[t=%4.1fs] %s: eligible %s, ejected %s, ramping %s, "
            + "panic %s, picks %s, ejections %s%n", elapsedNanos / 1e9, service,
        state("eligible"), state("ejected"), state("ramping"), gauge("lb.panic"), picks(),
        ejections()));
    out.append(String.format(Locale.ROOT, "  %-12s %7s %6s %9s %10s%n",
        "endpoint", "healthy", "weight", "in flight", "latency"));
    Map<String, String> rows = new TreeMap<>();
    for (Gauge healthy : registry.find("lb.endpoint.healthy").tag("service", service).gauges()) {
      String endpoint = healthy.getId().getTag("endpoint");
      TimeGauge latency = registry.find("lb.endpoint.latency").tags("service", service, "endpoint", endpoint)
          .timeGauge();
      rows.put(endpoint, String.format(Locale.ROOT, "  %-12s %7s %6s %9s %7.1f ms%n", endpoint,
          whole(healthy.value()), whole(endpointGauge("lb.endpoint.weight", endpoint)),
          whole(endpointGauge("lb.endpoint.in.flight", endpoint)),
          latency == null ? 0.0 : latency.value(TimeUnit.MILLISECONDS)));
    }
    rows.values().forEach(out::append);
    return out.toString();
  }

  private String state(String state) {
    Gauge gauge = registry.find("lb.endpoints").tags("service", service, "state", state).gauge();
    return whole(gauge == null ? Double.NaN : gauge.value());
  }

  private String gauge(String name) {
    Gauge gauge = registry.find(name).tag("service", service).gauge();
    return whole(gauge == null ? Double.NaN : gauge.value());
  }

  private double endpointGauge(String name, String endpoint) {
    Gauge gauge = registry.find(name).tags("service", service, "endpoint", endpoint).gauge();
    return gauge == null ? Double.NaN : gauge.value();
  }

  private String picks() {
    FunctionCounter ok = registry.find("lb.picks").tags("service", service, "result", "ok").functionCounter();
    return whole(ok == null ? Double.NaN : ok.count());
  }

  private String ejections() {
    double sum = 0;
    for (var counter : registry.find("lb.ejections").tag("service", service).counters()) {
      sum += counter.count();
    }
    return whole(sum);
  }

  private static String whole(double value) {
    return Double.isNaN(value) ? "-" : Long.toString(Math.round(value));
  }
}
