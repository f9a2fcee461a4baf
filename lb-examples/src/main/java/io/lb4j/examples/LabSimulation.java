package io.lb4j.examples;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Endpoint;
import io.lb4j.core.HealthTracker;
import io.lb4j.core.KeyHash;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.NoEndpointAvailableException;
import io.lb4j.core.Pick;
import io.lb4j.core.PickContext;
import io.lb4j.core.RandomSource;
import io.lb4j.core.ServerList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.HdrHistogram.Histogram;

/**
 * A deterministic discrete-event simulation of one fleet under one request stream, run once per
 * algorithm through a real {@link LoadBalancer}.
 *
 * <p>Events are arrivals (from the {@link RequestStream}) and completions (in a priority queue by
 * time, then arrival order). Before each arrival, every completion due by then is delivered through
 * {@link Pick#complete(boolean)} with the {@link VirtualClock} set to its time, so the balancer's
 * in-flight counts and latency EWMAs are exactly what a real client would have seen at that moment.
 * Then the arrival is picked, with its user's hash key and session id in the {@link PickContext}
 * (algorithms that do not use them ignore them), and its completion time follows from the chosen backend's queue.
 * The balancer's {@link HealthTracker} runs on the same clock (outlier ejection, panic mode, slow
 * start), refreshed once per simulated second as its own timer would.
 * A pick that finds no endpoint ({@link NoEndpointAvailableException}) counts as a rejected request.
 * Same fleet, same stream and same seed give the same result on any machine. Not thread-safe.
 */
final class LabSimulation {
  private final List<SimulatedBackend> fleet;
  private final RequestStream stream;
  private final long seed;

  LabSimulation(List<SimulatedBackend> fleet, RequestStream stream, long seed) {
    this.fleet = List.copyOf(fleet);
    this.stream = stream;
    this.seed = seed;
  }

  /** How often, in simulated time, ejections expire and slow start steps: the tracker's default. */
  private static final long HEALTH_REFRESH_NANOS = 1_000_000_000L;

  private record InFlight(long doneNanos, int request, int backend, boolean failed, Pick pick) {}

  LabResult run(Algorithm algorithm) {
    fleet.forEach(SimulatedBackend::reset);
    List<Endpoint> endpoints = new ArrayList<>(fleet.size());
    Map<String, Integer> indexById = new HashMap<>();
    for (int i = 0; i < fleet.size(); i++) {
      String id = fleet.get(i).id();
      endpoints.add(Endpoint.builder("10.0.0." + (i + 1), 8080).id(id).build());
      indexById.put(id, i);
    }
    VirtualClock clock = new VirtualClock();
    Histogram latencyMicros = new Histogram(3);
    long[] served = new long[fleet.size()];
    long failures = 0;
    long rejected = 0;
    PriorityQueue<InFlight> inFlight = new PriorityQueue<>(
        Comparator.comparingLong(InFlight::doneNanos).thenComparingInt(InFlight::request));
    try (HealthTracker health = HealthTracker.builder()
            .ticker(clock)
            .random(RandomSource.seeded(seed))
            // The simulation calls refresh() itself on simulated time; the tracker's own timer,
            // on real time, must never fire during a run.
            .refreshInterval(Duration.ofDays(1))
            .build();
        LoadBalancer lb = LoadBalancer.builder(ServerList.of(endpoints))
            .name("lab-" + algorithm.name())
            .algorithm(algorithm)
            .healthTracker(health)
            .ticker(clock)
            .random(RandomSource.seeded(seed))
            .build()) {
      clock.onEachPeriod(HEALTH_REFRESH_NANOS, health::refresh);
      PickContext context = PickContext.create();
      long[] userKeys = new long[RequestStream.USERS];
      String[] sessions = new String[RequestStream.USERS];
      for (int user = 0; user < RequestStream.USERS; user++) {
        sessions[user] = "user-" + user;
        userKeys[user] = KeyHash.of(sessions[user]);
      }
      for (int request = 0; request < stream.size(); request++) {
        long arrival = stream.arrivalNanos(request);
        while (!inFlight.isEmpty() && inFlight.peek().doneNanos() <= arrival) {
          failures += complete(inFlight.poll(), clock, latencyMicros);
        }
        clock.advanceTo(arrival);
        Pick pick;
        try {
          int user = stream.user(request);
          pick = lb.pick(context.reset().hashKey(userKeys[user]).sessionId(sessions[user]));
        } catch (NoEndpointAvailableException e) {
          // What a caller would see as an error without any backend's involvement.
          rejected++;
          continue;
        }
        int backend = indexById.get(pick.endpoint().id());
        SimulatedBackend chosen = fleet.get(backend);
        boolean failed = chosen.fails(stream.failureDraw(request));
        long done = chosen.admit(arrival, stream.sizeDraw(request), failed);
        served[backend]++;
        inFlight.add(new InFlight(done, request, backend, failed, pick));
      }
      while (!inFlight.isEmpty()) {
        failures += complete(inFlight.poll(), clock, latencyMicros);
      }
    }
    return new LabResult(algorithm.name(), latencyMicros, failures, rejected, served);
  }

  private long complete(InFlight call, VirtualClock clock, Histogram latencyMicros) {
    clock.advanceTo(call.doneNanos());
    call.pick().complete(!call.failed());
    long latencyNanos = call.doneNanos() - stream.arrivalNanos(call.request());
    latencyMicros.recordValue(Math.max(1, latencyNanos / 1_000));
    return call.failed() ? 1 : 0;
  }
}
