package io.lb4j.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared pieces of the health tests: trackers that never tick on their own, endpoints, events. */
final class HealthFixtures {
  private HealthFixtures() {}

  /**
   * A builder on {@code ticker} whose scheduled refresh never fires during a test, so only the
   * test's own {@link HealthTracker#refresh()} calls move time-driven state.
   */
  static HealthTracker.Builder manualTracker(ManualTicker ticker) {
    return HealthTracker.builder().ticker(ticker).refreshInterval(Duration.ofHours(1));
  }

  static List<Endpoint> endpoints(int count) {
    List<Endpoint> endpoints = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      endpoints.add(Endpoint.of("10.0.0." + (i + 1), 8080));
    }
    return List.copyOf(endpoints);
  }

  /** Every event the tracker publishes, in order. */
  static List<HealthEvent> recordEvents(HealthTracker tracker) {
    List<HealthEvent> events = new CopyOnWriteArrayList<>();
    tracker.subscribeEvents(events::add);
    return events;
  }

  static void fail(HealthTracker tracker, Endpoint endpoint, int times) {
    for (int i = 0; i < times; i++) {
      tracker.recordOutcome(endpoint, false, 1_000_000);
    }
  }

  static void succeed(HealthTracker tracker, Endpoint endpoint, int times) {
    for (int i = 0; i < times; i++) {
      tracker.recordOutcome(endpoint, true, 1_000_000);
    }
  }
}
