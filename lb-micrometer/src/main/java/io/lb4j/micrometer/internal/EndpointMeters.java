package io.lb4j.micrometer.internal;

import io.lb4j.core.Endpoint;
import io.lb4j.core.EndpointStats;
import io.lb4j.core.LoadBalancer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The opt-in per-endpoint meters of one balancer: registered when an endpoint joins, removed from
 * the registry when it leaves, so that churn never leaves meters behind. Gauges look the endpoint
 * up by id at each read, so they follow the stats a returning endpoint starts afresh. Thread-safe:
 * membership changes and {@link #removeAll} are serialized.
 */
public final class EndpointMeters {
  public static final String IN_FLIGHT = "lb.endpoint.in.flight";
  public static final String LATENCY = "lb.endpoint.latency";
  public static final String HEALTHY = "lb.endpoint.healthy";
  public static final String WEIGHT = "lb.endpoint.weight";

  private final LoadBalancer balancer;
  private final MeterRegistry registry;
  private final Map<String, Registered> byEndpointId = new HashMap<>();

  /** The meters registered for one endpoint, as it was when they were. */
  private record Registered(Endpoint endpoint, List<Meter> meters) {}

  /** Meters of {@code balancer}'s endpoints in {@code registry}, none registered yet. */
  public EndpointMeters(LoadBalancer balancer, MeterRegistry registry) {
    this.balancer = balancer;
    this.registry = registry;
  }

  /**
   * Registers meters for newcomers of {@code members}, removes those of leavers, and registers
   * afresh those of a member whose id stayed while its address or weight changed.
   */
  public synchronized void follow(List<Endpoint> members) {
    Set<String> ids = new HashSet<>(members.size() * 2);
    for (Endpoint member : members) {
      ids.add(member.id());
      Registered current = byEndpointId.get(member.id());
      if (current != null && !current.endpoint().equals(member)) {
        current.meters().forEach(registry::remove);
        current = null;
      }
      if (current == null) {
        byEndpointId.put(member.id(), new Registered(member, register(member)));
      }
    }
    byEndpointId.entrySet().removeIf(entry -> {
      if (ids.contains(entry.getKey())) {
        return false;
      }
      entry.getValue().meters().forEach(registry::remove);
      return true;
    });
  }

  /** Removes every per-endpoint meter; later calls of {@link #follow} register them again. */
  public synchronized void removeAll() {
    byEndpointId.values().forEach(registered -> registered.meters().forEach(registry::remove));
    byEndpointId.clear();
  }

  private List<Meter> register(Endpoint endpoint) {
    Tags tags = Tags.of("service", balancer.name(), "endpoint", endpoint.id());
    String id = endpoint.id();
    List<Meter> meters = new ArrayList<>(4);
    meters.add(Gauge.builder(IN_FLIGHT, balancer, b -> b.stats(id).map(EndpointStats::inFlight).orElse(0))
        .tags(tags).description("Requests sent to the endpoint and not yet completed")
        .strongReference(true).register(registry));
    meters.add(TimeGauge.builder(LATENCY, balancer, TimeUnit.NANOSECONDS,
            b -> b.stats(id).map(EndpointStats::latencyNanos).orElse(0.0))
        .tags(tags).description("The endpoint's peak-EWMA latency estimate")
        .strongReference(true).register(registry));
    meters.add(Gauge.builder(HEALTHY, balancer, b -> b.healthTracker().isAvailable(endpoint) ? 1 : 0)
        .tags(tags).description("1 while the health tracker lets the endpoint take traffic "
            + "(panic mode aside), 0 while it is ejected, probed down, marked or reported")
        .strongReference(true).register(registry));
    meters.add(Gauge.builder(WEIGHT, balancer, b -> weightOf(b, endpoint))
        .tags(tags).description("The weight the algorithm sees (slow start lowers it while the "
            + "endpoint ramps up, for algorithms where weight is a share of requests)")
        .strongReference(true).register(registry));
    return meters;
  }

  private static double weightOf(LoadBalancer balancer, Endpoint endpoint) {
    return balancer.algorithm().rampsWeights()
        ? balancer.healthTracker().effectiveWeight(endpoint) : endpoint.weight();
  }
}
