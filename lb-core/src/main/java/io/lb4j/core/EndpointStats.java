package io.lb4j.core;

import java.time.Duration;

/**
 * Live load of one endpoint, read-only: requests in flight, a peak-EWMA of latency, and
 * success/failure counts. {@link LoadBalancer} keeps one per endpoint for as long as the endpoint
 * stays in the server list, across selector rebuilds, and feeds it from each {@link Pick}; custom
 * {@link Selector}s read it through {@link Candidates#stats(int)}, metrics through {@link
 * LoadBalancer#stats(String)}.
 *
 * <p>Thread-safe and lock-free: every method is a few atomic reads and allocates nothing. Values
 * are live, so two reads may disagree as calls start and end between them.
 *
 * <p>Peak EWMA (Finagle, Linkerd): a latency above the current estimate replaces it at once (peaks
 * are believed immediately); lower ones are averaged in with weight {@code 1 - exp(-Δt/τ)}, where
 * Δt is the time since the previous observation and τ the decay time ({@link
 * LoadBalancer.Builder#latencyDecay}). Between observations the estimate decays toward zero with
 * the same τ, so an endpoint that was slow once is tried again later rather than shunned forever.
 * A failure never makes an endpoint look better: a failed call faster than the estimate (a quick
 * 503, a refused connection) leaves it unchanged.
 *
 * <p>Only lb4j implements this interface; the counters are fed by {@link Pick#complete} and
 * {@link Pick#cancel}, never by users.
 */
public interface EndpointStats {

  /** Default decay time τ of the latency EWMA: Finagle's and Linkerd's value, 10 seconds. */
  Duration DEFAULT_DECAY = Duration.ofSeconds(10);

  /** Requests started and not yet ended. */
  int inFlight();

  /** The peak-EWMA latency estimate in nanoseconds, decayed to now; 0 before any observation. */
  double latencyNanos();

  /**
   * The peak-EWMA latency estimate in nanoseconds as it stood at its last observation, without the
   * decay since; 0 before any observation. For algorithms that weigh endpoints by speed over
   * periods where some of them saw no calls: unlike {@link #latencyNanos()}, it does not make an
   * endpoint look faster the longer it has been idle.
   */
  double undecayedLatencyNanos();

  /**
   * Finagle's peak-EWMA load: latency estimate × (in-flight + 1). An endpoint with no latency
   * history but requests in flight gets a large penalty (2^53) plus its in-flight count, so that
   * new endpoints are probed without being flooded.
   */
  double load();

  /** Requests ended as successes since this endpoint joined. */
  long successes();

  /** Requests ended as failures since this endpoint joined. */
  long failures();
}
