package io.lb4j.core.discovery;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A discovery source's health as of one moment, for logs and metrics: whether its initial sync is
 * complete, when its registry last answered, how many queries in a row have failed since, the last
 * error, and how many malformed entries the last answer skipped. An immutable value; a source
 * replaces it as a whole, so one status never mixes two moments.
 */
public final class DiscoveryStatus {
  private final String source;
  private final boolean ready;
  private final Instant lastSuccess;
  private final Instant lastFailure;
  private final int consecutiveFailures;
  private final Throwable lastError;
  private final int skippedEntries;
  private final int endpoints;
  private final long answers;
  private final long failures;

  private DiscoveryStatus(String source, boolean ready, Instant lastSuccess, Instant lastFailure,
      int consecutiveFailures, Throwable lastError, int skippedEntries, int endpoints,
      long answers, long failures) {
    this.source = source;
    this.ready = ready;
    this.lastSuccess = lastSuccess;
    this.lastFailure = lastFailure;
    this.consecutiveFailures = consecutiveFailures;
    this.lastError = lastError;
    this.skippedEntries = skippedEntries;
    this.endpoints = endpoints;
    this.answers = answers;
    this.failures = failures;
  }

  /** The status of a source that has not queried yet. */
  static DiscoveryStatus initial(String source) {
    return new DiscoveryStatus(Objects.requireNonNull(source, "source"), false, null, null, 0, null,
        0, 0, 0, 0);
  }

  DiscoveryStatus succeeded(Instant at, int skipped, int endpointCount) {
    return new DiscoveryStatus(source, true, at, lastFailure, 0, lastError, skipped, endpointCount,
        answers + 1, failures);
  }

  DiscoveryStatus failed(Instant at, Throwable error) {
    return new DiscoveryStatus(source, ready, lastSuccess, at, consecutiveFailures + 1, error,
        skippedEntries, endpoints, answers, failures + 1);
  }

  /** The source's name, as in its log messages (e.g. {@code "dns SRV _http._tcp.orders"}). */
  public String source() {
    return source;
  }

  /** Whether the initial sync is complete. */
  public boolean ready() {
    return ready;
  }

  /** When the registry last answered successfully; empty before the first answer. */
  public Optional<Instant> lastSuccess() {
    return Optional.ofNullable(lastSuccess);
  }

  /** When a query last failed; empty if none ever did. */
  public Optional<Instant> lastFailure() {
    return Optional.ofNullable(lastFailure);
  }

  /** Failed queries since the last success; 0 while the registry answers. */
  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** The cause of the last failure, kept after a later success; empty if none ever failed. */
  public Optional<Throwable> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** Malformed entries the last successful answer skipped (each was logged at WARN). */
  public int skippedEntries() {
    return skippedEntries;
  }

  /** Endpoints the source publishes now. */
  public int endpoints() {
    return endpoints;
  }

  /** Successful answers received since the source started, including empty ones it kept out. */
  public long answers() {
    return answers;
  }

  /** Failed queries since the source started, in all: for metrics (a monotonic count). */
  public long failures() {
    return failures;
  }

  @Override
  public String toString() {
    return "DiscoveryStatus{" + source + ", ready=" + ready + ", endpoints=" + endpoints
        + ", lastSuccess=" + lastSuccess + ", consecutiveFailures=" + consecutiveFailures
        + (lastError == null ? "" : ", lastError=" + lastError)
        + (skippedEntries == 0 ? "" : ", skippedEntries=" + skippedEntries) + "}";
  }
}
