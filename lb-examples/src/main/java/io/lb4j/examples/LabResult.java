package io.lb4j.examples;

import org.HdrHistogram.Histogram;

/**
 * What one algorithm did in one lab run: latency distribution of the served requests (from arrival
 * to completion, queueing included), failures, requests rejected because no endpoint could be
 * picked, and how many requests each backend served. Immutable once built.
 */
final class LabResult {
  private final String algorithm;
  private final Histogram latencyMicros;
  private final long failures;
  private final long rejected;
  private final long[] servedPerBackend;

  LabResult(String algorithm, Histogram latencyMicros, long failures, long rejected, long[] servedPerBackend) {
    this.algorithm = algorithm;
    this.latencyMicros = latencyMicros;
    this.failures = failures;
    this.rejected = rejected;
    this.servedPerBackend = servedPerBackend.clone();
  }

  String algorithm() {
    return algorithm;
  }

  /** Every request of the stream: served plus rejected. */
  long requests() {
    return latencyMicros.getTotalCount() + rejected;
  }

  long rejected() {
    return rejected;
  }

  /** Latency of served requests at {@code percentile} (0 to 100), in milliseconds; 0 if none was served. */
  double latencyMillis(double percentile) {
    return latencyMicros.getValueAtPercentile(percentile) / 1_000.0;
  }

  /** Failed and rejected requests as a fraction of all requests. */
  double errorRate() {
    return (double) (failures + rejected) / requests();
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
