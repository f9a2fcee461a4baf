package io.lb4j.examples;

import java.util.Arrays;

/**
 * One simulated backend of the algorithm lab: {@code servers} workers in front of one FIFO queue
 * (an M/G/k queue), log-normally distributed service times, and a probability of failing.
 *
 * <p>A request that finds all workers busy waits for the first one to free up, so latency grows
 * with the backend's in-flight count beyond {@code servers}, the way a thread-pooled service
 * degrades. A failing request answers fast (a tenth of its service time), like a 500 from a
 * broken dependency. Not thread-safe.
 */
final class SimulatedBackend {
  private final String id;
  private final double medianNanos;
  private final double sigma;
  private final double failureProbability;
  private final long[] workerFreeAt;

  SimulatedBackend(String id, double medianMillis, double sigma, int servers, double failureProbability) {
    this.id = id;
    this.medianNanos = medianMillis * 1_000_000;
    this.sigma = sigma;
    this.failureProbability = failureProbability;
    this.workerFreeAt = new long[servers];
  }

  String id() {
    return id;
  }

  double medianMillis() {
    return medianNanos / 1_000_000;
  }

  double failureProbability() {
    return failureProbability;
  }

  /** Whether a request whose failure draw is {@code uniform} (in [0, 1)) fails here. */
  boolean fails(double uniform) {
    return uniform < failureProbability;
  }

  /**
   * Queues a request arriving at {@code arrivalNanos} and returns when it completes.
   *
   * @param normal a standard-normal draw fixing the request's service time (its size)
   * @param failed whether the request fails (then it takes a tenth of that time)
   */
  long admit(long arrivalNanos, double normal, boolean failed) {
    long service = (long) (medianNanos * Math.exp(sigma * normal) * (failed ? 0.1 : 1.0));
    int worker = 0;
    for (int i = 1; i < workerFreeAt.length; i++) {
      if (workerFreeAt[i] < workerFreeAt[worker]) {
        worker = i;
      }
    }
    long start = Math.max(arrivalNanos, workerFreeAt[worker]);
    workerFreeAt[worker] = start + Math.max(1, service);
    return workerFreeAt[worker];
  }

  /** Forgets queued work, so the next run starts idle. */
  void reset() {
    Arrays.fill(workerFreeAt, 0);
  }
}
