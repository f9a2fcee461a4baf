package io.lb4j.examples;

import org.HdrHistogram.Histogram;

/**
 * What one algorithm did in one lab run: latency distribution (from arrival to completion, queueing
 * included), failures, and how many requests each backend served. Immutable once built.
 */
final class LabResult {
  private final String algorithm;
  private final Histogram latencyMicros;
  private final long failures;
  private final long[] servedPerBackend;

  LabResult(String algorithm, Histogram latencyMicros, long failures, long[] servedPerBackend) {
    this.algorithm = algorithm;
    this.latencyMicros = latencyMicros;
    this.failures = failures;
    this.servedPerBackend = servedPerBackend.clone();
  }

  String algorithm() {
    return algorithm;
  }

  long requests() {
    return latencyMicros.getTotalCount();
  }

  /** Latency at {@code percentile} (0 to 100), in milliseconds. */
  double latencyMillis(double percentile) {
    return latencyMicros.getValueAtPercentile(percentile) / 1_000.0;
  }

  /** Failed requests as a fraction of all requests. */
  double errorRate() {
    return (double) failures / requests();
  }

  int backends() {
    return servedPerBackend.length;
  }

  long served(int backend) {
    return servedPerBackend[backend];
  }

  /** The fraction of all requests that {@code backend} served. */
  double share(int backend) {
    return (double) servedPerBackend[backend] / requests();
  }
}
