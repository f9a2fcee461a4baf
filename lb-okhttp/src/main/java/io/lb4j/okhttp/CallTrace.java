package io.lb4j.okhttp;

import io.lb4j.core.Endpoint;
import io.lb4j.core.PickExplanation;
import io.lb4j.okhttp.CallListener.AttemptKind;
import io.lb4j.okhttp.CallListener.Outcome;
import io.lb4j.okhttp.internal.TracedCall;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import okhttp3.Response;

/**
 * Every attempt of one routed call, in the order they were sent: where each went, why it was sent and
 * how it ended. Turned on with {@link LoadBalancingInterceptor.Builder#callTrace}; read it from
 * the call's answer with {@link #of(Response)}, or from its failure with {@link #of(Throwable)}.
 *
 * <p>The trace is fixed when the interceptor hands the answer or the failure back: the attempt
 * that answered is recorded at its response headers. A body cut off later, in the caller's hands,
 * fails the caller's read (and counts against the endpoint) without changing the trace.
 *
 * <p>Immutable and thread-safe; no accessor returns null.
 *
 * @param service the logical service the call went to
 * @param attempts every attempt, in the order they were sent; empty when no endpoint could take the
 *     call
 */
public record CallTrace(String service, List<Attempt> attempts) {

  /** How much a trace records; every level but {@link #OFF} costs allocation on each call. */
  public enum Detail {
    /** No trace: the default, and what costs a call nothing. */
    OFF,
    /** Each attempt's endpoint, kind, outcome and latency. */
    ATTEMPTS,
    /**
     * Each attempt's facts and the balancer's {@link io.lb4j.core.LoadBalancer#explain
     * explanation} of its pick, taken just before the pick: a copy of every member's state per
     * attempt, O(members).
     */
    ATTEMPTS_AND_EXPLANATIONS
  }

  /**
   * Copies {@code attempts} into an unmodifiable list.
   *
   * @throws NullPointerException if {@code service} or {@code attempts} is null
   */
  public CallTrace {
    Objects.requireNonNull(service, "service");
    attempts = List.copyOf(attempts);
  }

  /**
   * The trace of the call that gave {@code response}: its request is the one the interceptor sent,
   * which carries the trace as its tag. Empty when tracing is off or the call was not routed (a
   * host that is no service).
   *
   * @throws NullPointerException if {@code response} is null
   */
  public static Optional<CallTrace> of(Response response) {
    Objects.requireNonNull(response, "response");
    return Optional.ofNullable(response.request().tag(CallTrace.class));
  }

  /**
   * The trace of the call that failed with {@code failure}: the exception {@code execute()} threw
   * or {@code onFailure} received, or any exception whose cause chain holds it (OkHttp wraps the
   * interceptor's exception when the call timeout fires). The exception is not changed: its
   * suppressed exceptions stay the failures of the earlier attempts. Empty when tracing is off or
   * the failure did not come from a routed call. Thread-safe.
   *
   * @throws NullPointerException if {@code failure} is null
   */
  public static Optional<CallTrace> of(Throwable failure) {
    return TracedCall.traceOf(Objects.requireNonNull(failure, "failure"));
  }

  /** One attempt per line: number, kind, endpoint, outcome, latency; explanations indented. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("service '").append(service).append("': ")
        .append(attempts.size()).append(attempts.size() == 1 ? " attempt" : " attempts");
    for (Attempt attempt : attempts) {
      out.append('\n').append("  ").append(attempt);
      attempt.explanation().ifPresent(explanation ->
          out.append("\n    ").append(explanation.toString().strip().replace("\n", "\n    ")));
    }
    return out.toString();
  }

  /**
   * One attempt of a call.
   *
   * @param number the attempt's number: 1 for the first, in the order they were sent
   * @param kind why it was sent
   * @param endpoint where it went
   * @param outcome how it ended: a status class, {@link Outcome#IO_ERROR} for a failure, or
   *     {@link Outcome#CANCELED} for an attempt that counted neither for nor against its endpoint
   *     (the caller gave up, or it lost a hedged race). The answering attempt's outcome is fixed at
   *     its headers: if its body then fails in the caller's hands, {@link CallListener} and the
   *     endpoint's breaker see that failure, the trace does not
   * @param status the HTTP status, if the endpoint answered
   * @param detail the failure ({@code class: message}) or why the attempt was canceled; empty for
   *     an answer
   * @param latency from sending to the response headers or the failure; zero for a canceled one
   * @param explanation the balancer's explanation of its pick, taken just before it; present only
   *     with {@link Detail#ATTEMPTS_AND_EXPLANATIONS}
   */
  public record Attempt(int number, AttemptKind kind, Endpoint endpoint, Outcome outcome,
      OptionalInt status, String detail, Duration latency, Optional<PickExplanation> explanation) {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if {@code number} is below 1 or {@code latency} is negative
     * @throws NullPointerException if a component is null
     */
    public Attempt {
      if (number < 1) {
        throw new IllegalArgumentException("number must be >= 1, was " + number);
      }
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(latency, "latency");
      if (latency.isNegative()) {
        throw new IllegalArgumentException("latency must be >= 0, was " + latency);
      }
      Objects.requireNonNull(explanation, "explanation");
    }

    /** {@code #2 RETRY 127.0.0.1:8081 HTTP 200 in 3.1 ms}, or the failure in place of the status. */
    @Override
    public String toString() {
      String result = status.isPresent() ? "HTTP " + status.getAsInt()
          : detail.isEmpty() ? outcome.toString() : outcome + " (" + detail + ")";
      return "#" + number + " " + kind + " " + endpoint.id() + " " + result + " in "
          + String.format(Locale.ROOT, "%.1f ms", latency.toNanos() / 1e6);
    }
  }
}
