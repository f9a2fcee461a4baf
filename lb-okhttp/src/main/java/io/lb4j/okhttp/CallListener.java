package io.lb4j.okhttp;

import io.lb4j.core.Endpoint;

/**
 * Observes the calls a {@link LoadBalancingInterceptor} routes, for metrics and tracing: each
 * attempt's end, each decision on a retry, and each call's end. Install one with
 * {@link LoadBalancingInterceptor.Builder#callListener}; lb-micrometer's binder is one.
 *
 * <p>Methods are called synchronously on the thread running the call, after the outcome was
 * recorded in the balancer and the circuit breaker; they must be quick and thread-safe, since
 * calls run concurrently. A listener that throws is logged and does not affect the call. Every
 * method has an empty default, so an implementation overrides only what it needs. Arguments are
 * never null.
 */
public interface CallListener {

  /** A listener that ignores everything: the default. */
  CallListener NONE = new CallListener() {};

  /** Why an attempt was sent. */
  enum AttemptKind {
    /** The call's first attempt. */
    FIRST,
    /** A later attempt after a failure, sent to an endpoint not yet tried. */
    RETRY,
    /** An attempt sent while an earlier one is still outstanding. */
    HEDGE
  }

  /** How an attempt or a call ended; HTTP statuses are grouped into classes. */
  enum Outcome {
    /** A 1xx or 2xx status. */
    SUCCESS,
    /** A 3xx status. */
    REDIRECTION,
    /** A 4xx status. */
    CLIENT_ERROR,
    /** A 5xx status. */
    SERVER_ERROR,
    /** An I/O failure: no response (connection refused or reset, timeout). */
    IO_ERROR,
    /** The caller canceled the call, or its call timeout fired. */
    CANCELED,
    /** No endpoint could take the call (only for calls: an attempt always has an endpoint). */
    NO_ENDPOINT;

    /** The outcome of an HTTP response with status {@code code}. */
    public static Outcome ofStatus(int code) {
      if (code >= 500) {
        return SERVER_ERROR;
      }
      if (code >= 400) {
        return CLIENT_ERROR;
      }
      return code >= 300 ? REDIRECTION : SUCCESS;
    }
  }

  /** What became of a failed attempt's chance of a retry. */
  enum RetryDecision {
    /** A retry goes out (after its backoff). */
    RETRIED,
    /** The service's retry budget is spent: the failure goes back to the caller. */
    BUDGET_EXHAUSTED,
    /** The call used its {@link LoadBalancingInterceptor.Builder#maxAttempts}. */
    ATTEMPTS_EXHAUSTED,
    /** Every eligible endpoint was tried already. */
    NO_ENDPOINT_LEFT,
    /** The retry's wait would outlast the call timeout: the last answer goes back at once. */
    NO_TIME_LEFT
  }

  /**
   * An attempt to {@code endpoint} ended after {@code latencyNanos} (from sending to the response
   * headers or the failure).
   */
  default void attemptEnded(String service, Endpoint endpoint, AttemptKind kind, Outcome outcome,
      long latencyNanos) {}

  /** A retryable failure of {@code service}'s call led to {@code decision}. */
  default void retryDecided(String service, RetryDecision decision) {}

  /**
   * A call to {@code service} ended after {@code durationNanos}, retries and backoff included, with
   * the outcome the caller sees.
   */
  default void callEnded(String service, Outcome outcome, long durationNanos) {}
}
