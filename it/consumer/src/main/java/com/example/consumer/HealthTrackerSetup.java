package com.example.consumer;

import io.lb4j.core.HealthCheck;
import io.lb4j.core.HealthTracker;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.ServerList;
import java.time.Duration;
import java.util.function.Consumer;

/** README "Health": a tracker with probes and events, its balancer and service. */
public final class HealthTrackerSetup {
  /** The service's own metrics, as the snippet calls them. */
  public interface Metrics {
    /** Counts one event of {@code name}. */
    void count(String name);
  }

  private final Metrics metrics;
  private final Consumer<LoadBalancer> service;

  /** {@code service} stands for the calls the service makes while the balancer is open. */
  public HealthTrackerSetup(Metrics metrics, Consumer<LoadBalancer> service) {
    this.metrics = metrics;
    this.service = service;
  }

  private void serve(LoadBalancer lb) {
    service.accept(lb);
  }

  /** Runs the snippet over {@code servers}; tracker and balancer are closed when it returns. */
  public void run(ServerList servers) {
    // snippet: HealthTracker
    HealthTracker health = HealthTracker.builder()
        .consecutiveFailures(5)
        .baseEjectionTime(Duration.ofSeconds(30))
        .healthCheck(HealthCheck.tcpConnect())
        .healthCheckInterval(Duration.ofSeconds(5))
        .build();
    health.subscribeEvents(event -> metrics.count(event.type().name()));

    try (health; LoadBalancer lb = LoadBalancer.builder(servers)
        .healthTracker(health)      // omit it for a default tracker, closed with the balancer
        .localZone("eu-west-1a")
        .build()) {
      serve(lb);                    // your service's calls through lb.pick(...), as above
    }
    // end snippet
  }
}
