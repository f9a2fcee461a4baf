package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.recordEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lb4j.core.HealthEvent.Type;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Active probes: real loopback sockets for the TCP check, scripted checks for the thresholds. */
class HealthTrackerProbeTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  /**
   * Probes every 50 ms, and a budget that lets probes take out the single member these tests use
   * (by default a probe verdict on 1 of 1 is overridden, since it would leave nothing).
   */
  private static HealthTracker.Builder fastProbes(HealthCheck check) {
    return HealthTracker.builder()
        .maxEjectionPercent(100)
        .healthCheck(check)
        .healthCheckInterval(Duration.ofMillis(50))
        .healthCheckTimeout(Duration.ofMillis(40))
        .slowStartWindow(Duration.ZERO);
  }

  @Test
  void closedPortIsMarkedDownAndReopeningItBringsTheEndpointBack() throws IOException {
    ServerSocket server = listen(0);
    int port = server.getLocalPort();
    Endpoint endpoint = Endpoint.of("127.0.0.1", port);
    try (HealthTracker tracker = fastProbes(HealthCheck.tcpConnect()).build()) {
      List<HealthEvent> events = recordEvents(tracker);
      tracker.updateMembership(List.of(endpoint));
      AtomicInteger connections = new AtomicInteger();
      awaitConnection(server, connections);
      assertThat(tracker.isAvailable(endpoint)).isTrue();

      server.close();
      await().atMost(DEADLINE).pollInterval(Duration.ofMillis(10))
          .until(() -> !tracker.isAvailable(endpoint));
      // Events are delivered after the verdict is published, outside the tracker's lock.
      await().atMost(DEADLINE).pollInterval(Duration.ofMillis(10))
          .until(() -> events.stream().anyMatch(e -> e.type() == Type.PROBE_DOWN));
      assertThat(tracker.snapshot().endpoints().get(0).probeDown()).isTrue();

      try (ServerSocket reopened = listen(port)) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(10))
            .until(() -> tracker.isAvailable(endpoint));
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(10))
            .until(() -> events.stream().anyMatch(e -> e.type() == Type.PROBE_UP));
      }
      assertThat(events).extracting(HealthEvent::type)
          .containsSubsequence(Type.PROBE_DOWN, Type.PROBE_UP);
    } finally {
      server.close();
    }
  }

  /**
   * The tests above lift the ejection cap to probe a lone member; here the tracker keeps every
   * default (50% cap, panic threshold, slow start) except the probe interval: over three real
   * ports, one closed port is taken out, a second closed port is held in by the cap (overridden,
   * still eligible), and reopening the first brings it back.
   */
  @Test
  void withDefaultsProbesTakeOutOneOfThreeAndTheCapHoldsTheSecondIn() throws IOException {
    ServerSocket a = listen(0);
    ServerSocket b = listen(0);
    ServerSocket c = listen(0);
    Endpoint ea = Endpoint.of("127.0.0.1", a.getLocalPort());
    Endpoint eb = Endpoint.of("127.0.0.1", b.getLocalPort());
    Endpoint ec = Endpoint.of("127.0.0.1", c.getLocalPort());
    try (HealthTracker tracker = HealthTracker.builder().healthCheck(HealthCheck.tcpConnect())
        .healthCheckInterval(Duration.ofMillis(50)).healthCheckTimeout(Duration.ofMillis(40))
        .build()) {
      tracker.updateMembership(List.of(ea, eb, ec));
      int port = a.getLocalPort();
      a.close();
      await().atMost(DEADLINE).pollInterval(Duration.ofMillis(10))
          .until(() -> !tracker.isAvailable(ea));
      b.close();
      await().atMost(DEADLINE).pollInterval(Duration.ofMillis(10))
          .until(() -> entry(tracker, eb).probeDown());
      assertThat(entry(tracker, eb).overridden()).as("held in by the 50% cap").isTrue();
      assertThat(tracker.isAvailable(eb)).isTrue();
      assertThat(tracker.eligible(List.of(ea, eb, ec))).containsExactly(eb, ec);

      try (ServerSocket reopened = listen(port)) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(10))
            .until(() -> tracker.isAvailable(ea));
      }
    } finally {
      a.close();
      b.close();
      c.close();
    }
  }

  private static HealthSnapshot.EndpointHealth entry(HealthTracker tracker, Endpoint endpoint) {
    return tracker.snapshot().endpoints().stream().filter(e -> e.endpoint().equals(endpoint))
        .findFirst().orElseThrow();
  }

  @Test
  void takesExactlyTheUnhealthyThresholdOfFailuresToGoDownAndTheHealthyOneToComeBack() {
    List<Boolean> script = new CopyOnWriteArrayList<>(List.of(false, false, false, true, true));
    AtomicInteger probes = new AtomicInteger();
    List<Integer> availabilityAfterEachProbe = new CopyOnWriteArrayList<>();
    Endpoint endpoint = Endpoint.of("10.9.9.9", 80);
    HealthTracker[] holder = new HealthTracker[1];
    HealthCheck scripted = e -> {
      int n = probes.getAndIncrement();
      if (n > 0) {
        availabilityAfterEachProbe.add(holder[0].isAvailable(e) ? 1 : 0);
      }
      return CompletableFuture.completedFuture(n < script.size() ? script.get(n) : true);
    };
    try (HealthTracker tracker = fastProbes(scripted).unhealthyThreshold(3).healthyThreshold(2).build()) {
      holder[0] = tracker;
      tracker.updateMembership(List.of(endpoint));
      await().atMost(DEADLINE).until(() -> availabilityAfterEachProbe.size() >= 6);
    }
    // Seen before probes 2..7: up, up, down (after 3 failures), down (1 success), up (2 successes), up.
    assertThat(availabilityAfterEachProbe.subList(0, 6)).containsExactly(1, 1, 0, 0, 1, 1);
  }

  @Test
  void aProbeThatNeverAnswersTimesOutCountsAsFailedAndIsCancelled() {
    List<CompletableFuture<Boolean>> started = new CopyOnWriteArrayList<>();
    HealthCheck silent = e -> {
      CompletableFuture<Boolean> never = new CompletableFuture<>();
      started.add(never);
      return never;
    };
    Endpoint endpoint = Endpoint.of("10.9.9.8", 80);
    try (HealthTracker tracker = fastProbes(silent).build()) {
      tracker.updateMembership(List.of(endpoint));
      await().atMost(DEADLINE).until(() -> !tracker.isAvailable(endpoint));
      assertThat(started).hasSizeGreaterThanOrEqualTo(3);
      assertThat(started.get(0)).isCancelled();
    }
  }

  @Test
  void aCheckThatThrowsCountsAsAFailedProbe() {
    Endpoint endpoint = Endpoint.of("10.9.9.7", 80);
    HealthCheck broken = e -> {
      throw new IllegalStateException("boom");
    };
    try (HealthTracker tracker = fastProbes(broken).build()) {
      List<HealthEvent> events = recordEvents(tracker);
      tracker.updateMembership(List.of(endpoint));
      await().atMost(DEADLINE).until(() -> !tracker.isAvailable(endpoint));
      assertThat(events).filteredOn(e -> e.type() == Type.PROBE_DOWN).singleElement()
          .satisfies(e -> assertThat(e.detail()).contains("boom"));
    }
  }

  @Test
  void probesOfARemovedEndpointStop() {
    AtomicInteger probes = new AtomicInteger();
    Endpoint endpoint = Endpoint.of("10.9.9.6", 80);
    try (HealthTracker tracker = fastProbes(e -> {
      probes.incrementAndGet();
      return CompletableFuture.completedFuture(true);
    }).build()) {
      tracker.updateMembership(List.of(endpoint));
      await().atMost(DEADLINE).until(() -> probes.get() >= 2);
      tracker.updateMembership(List.of());
      int afterRemoval = probes.get();
      // One probe may already be running; after it, none: wait well past several intervals.
      await().pollDelay(Duration.ofMillis(300)).atMost(DEADLINE)
          .until(() -> probes.get() <= afterRemoval + 1);
    }
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
    return server;
  }

  private static void awaitConnection(ServerSocket server, AtomicInteger connections) throws IOException {
    server.setSoTimeout((int) DEADLINE.toMillis());
    server.accept().close();
    connections.incrementAndGet();
  }
}
