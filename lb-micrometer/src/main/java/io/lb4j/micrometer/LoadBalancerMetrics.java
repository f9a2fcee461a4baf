package io.lb4j.micrometer;

import io.lb4j.core.HealthEvent;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.NoEndpointAvailableException.Reason;
import io.lb4j.core.Subscription;
import io.lb4j.micrometer.internal.EndpointMeters;
import io.lb4j.micrometer.internal.EndpointStateCount;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Micrometer meters for one {@link LoadBalancer}, every one tagged {@code service} with the
 * balancer's {@linkplain LoadBalancer#name() name}:
 * <ul>
 *   <li>{@value #MEMBERS} (gauge): endpoints in the server list, healthy or not;
 *   <li>{@value #ENDPOINTS} (gauge, tag {@code state}): endpoints by state, {@code eligible} (picks
 *       may go there now), {@code ejected}, {@code probe_down}, {@code marked}, {@code reported},
 *       {@code overridden} (a probe's or detector's verdict held off by the max-ejection budget),
 *       {@code ramping}; states overlap, so they need not add up to the members;
 *   <li>{@value #PANIC} (gauge): 1 while the health tracker is in panic mode, else 0;
 *   <li>{@value #ZONE_SPILLOVER} (gauge): 1 while picks spill over from the local zone to all
 *       zones, else 0 (always 0 without a local zone);
 *   <li>{@value #PICKS} (function counter, tag {@code result}): picks that returned an endpoint
 *       ({@code ok}) or failed, by reason ({@code empty_list}, {@code all_unhealthy},
 *       {@code all_excluded}); read from counters the balancer keeps anyway, so the pick path
 *       gains no lock and no allocation;
 *   <li>{@value #EJECTIONS} (counter, tag {@code reason}): endpoints taken out of rotation, by
 *       {@code outlier} detection, a {@code probe}, an operator's or a breaker's {@code mark}, a
 *       {@code detector}'s report, counted from the tracker's {@link HealthEvent}s.
 * </ul>
 * With {@link Builder#perEndpoint(boolean) perEndpoint}, also per endpoint (tags {@code service}
 * and {@code endpoint}, the endpoint's id): {@value EndpointMeters#IN_FLIGHT} (gauge),
 * {@value EndpointMeters#LATENCY} (time gauge: the peak-EWMA latency estimate, in the registry's
 * base time unit), {@value EndpointMeters#HEALTHY} (gauge, 1 or 0) and
 * {@value EndpointMeters#WEIGHT} (gauge: the weight the algorithm sees). These are registered when
 * an endpoint joins and removed from the registry when it leaves, so that endpoint churn does not
 * grow the registry. Leave them off for large fleets: one series per endpoint and client adds up.
 *
 * <p>Gauges read the balancer when the registry asks (a scrape), taking a health snapshot per
 * state gauge: O(members) each, off the pick path. Thread-safe. Bind it to one registry, and
 * {@link #close()} it with the balancer: that removes its meters and stops following the balancer
 * (its gauges would otherwise keep the balancer reachable).
 */
public final class LoadBalancerMetrics implements MeterBinder, AutoCloseable {
  /** Gauge: endpoints in the server list. */
  public static final String MEMBERS = "lb.members";
  /** Gauge, tag {@code state}: endpoints by state. */
  public static final String ENDPOINTS = "lb.endpoints";
  /** Gauge: 1 in panic mode, else 0. */
  public static final String PANIC = "lb.panic";
  /** Gauge: 1 while picks spill over from the local zone, else 0. */
  public static final String ZONE_SPILLOVER = "lb.zone.spillover";
  /** Function counter, tag {@code result}: picks by result. */
  public static final String PICKS = "lb.picks";
  /** Counter, tag {@code reason}: endpoints taken out of rotation, by reason. */
  public static final String EJECTIONS = "lb.ejections";

  private final LoadBalancer balancer;
  private final boolean perEndpoint;
  private final List<Meter> meters = new ArrayList<>();
  private final List<Subscription> subscriptions = new ArrayList<>();
  private MeterRegistry registry;
  private EndpointMeters endpointMeters;
  private boolean closed;

  private LoadBalancerMetrics(LoadBalancer balancer, boolean perEndpoint) {
    this.balancer = balancer;
    this.perEndpoint = perEndpoint;
  }

  /** Service-level meters of {@code balancer}, without per-endpoint ones. */
  public static LoadBalancerMetrics of(LoadBalancer balancer) {
    return builder(balancer).build();
  }

  /** A builder for the meters of {@code balancer}. */
  public static Builder builder(LoadBalancer balancer) {
    return new Builder(balancer);
  }

  /**
   * Registers the meters with {@code registry}.
   *
   * @throws IllegalStateException if already bound, or closed
   */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    if (closed) {
      throw new IllegalStateException("metrics of load balancer '" + balancer.name() + "' are closed");
    }
    if (this.registry != null) {
      throw new IllegalStateException("metrics of load balancer '" + balancer.name()
          + "' are already bound to " + this.registry + "; bind a LoadBalancerMetrics once");
    }
    this.registry = registry;
    String service = balancer.name();
    meters.add(Gauge.builder(MEMBERS, balancer, b -> b.endpoints().size()).tag("service", service)
        .description("Endpoints in the server list, healthy or not").strongReference(true)
        .register(registry));
    for (EndpointStateCount state : EndpointStateCount.values()) {
      meters.add(Gauge.builder(ENDPOINTS, balancer, state::count)
          .tags("service", service, "state", state.tag())
          .description("Endpoints by state; states overlap").strongReference(true)
          .register(registry));
    }
    meters.add(Gauge.builder(PANIC, balancer, b -> b.healthTracker().isPanicking() ? 1 : 0)
        .tag("service", service).description("1 while too few endpoints are healthy (panic mode)")
        .strongReference(true).register(registry));
    meters.add(Gauge.builder(ZONE_SPILLOVER, balancer, b -> b.isSpillingOver() ? 1 : 0)
        .tag("service", service)
        .description("1 while picks spill over from the local zone to all zones")
        .strongReference(true).register(registry));
    meters.add(FunctionCounter.builder(PICKS, balancer, LoadBalancer::pickCount)
        .tags("service", service, "result", "ok").description("Picks, by result")
        .register(registry));
    for (Reason reason : Reason.values()) {
      meters.add(FunctionCounter.builder(PICKS, balancer, b -> b.noEndpointCount(reason))
          .tags("service", service, "result", reason.name().toLowerCase(Locale.ROOT))
          .description("Picks, by result").register(registry));
    }
    Map<HealthEvent.Type, Counter> ejections = ejectionCounters(registry, service);
    meters.addAll(ejections.values());
    subscriptions.add(balancer.healthTracker().subscribeEvents(event -> {
      Counter counter = ejections.get(event.type());
      if (counter != null) {
        counter.increment();
      }
    }));
    if (perEndpoint) {
      endpointMeters = new EndpointMeters(balancer, registry);
      subscriptions.add(balancer.subscribeMembership(endpointMeters::follow));
    }
  }

  private static Map<HealthEvent.Type, Counter> ejectionCounters(MeterRegistry registry,
      String service) {
    Map<HealthEvent.Type, Counter> counters = new EnumMap<>(HealthEvent.Type.class);
    counters.put(HealthEvent.Type.EJECTED, ejectionCounter(registry, service, "outlier"));
    counters.put(HealthEvent.Type.PROBE_DOWN, ejectionCounter(registry, service, "probe"));
    counters.put(HealthEvent.Type.MARKED_UNAVAILABLE, ejectionCounter(registry, service, "mark"));
    counters.put(HealthEvent.Type.REPORTED_UNHEALTHY, ejectionCounter(registry, service, "detector"));
    return counters;
  }

  private static Counter ejectionCounter(MeterRegistry registry, String service, String reason) {
    return Counter.builder(EJECTIONS).tags("service", service, "reason", reason)
        .description("Endpoints taken out of rotation, by reason").register(registry);
  }

  /**
   * Stops following the balancer and removes every meter this binder registered. Idempotent; the
   * binder cannot be bound again.
   */
  @Override
  public synchronized void close() {
    closed = true;
    subscriptions.forEach(Subscription::close);
    subscriptions.clear();
    if (endpointMeters != null) {
      endpointMeters.removeAll();
    }
    if (registry != null) {
      meters.forEach(registry::remove);
    }
    meters.clear();
  }

  @Override
  public String toString() {
    return "LoadBalancerMetrics{" + balancer.name() + (perEndpoint ? ", per endpoint" : "") + "}";
  }

  /** Configures a {@link LoadBalancerMetrics}; not thread-safe. */
  public static final class Builder {
    private final LoadBalancer balancer;
    private boolean perEndpoint;

    private Builder(LoadBalancer balancer) {
      this.balancer = Objects.requireNonNull(balancer, "balancer");
    }

    /**
     * Whether to register the per-endpoint meters (tag {@code endpoint}); see the class doc.
     * Default false.
     */
    public Builder perEndpoint(boolean perEndpoint) {
      this.perEndpoint = perEndpoint;
      return this;
    }

    /** The binder, not yet bound to a registry. */
    public LoadBalancerMetrics build() {
      return new LoadBalancerMetrics(balancer, perEndpoint);
    }
  }
}
