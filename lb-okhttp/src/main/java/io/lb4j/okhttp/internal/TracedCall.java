package io.lb4j.okhttp.internal;

import io.lb4j.core.Endpoint;
import io.lb4j.core.PickExplanation;
import io.lb4j.okhttp.CallListener.AttemptKind;
import io.lb4j.okhttp.CallListener.Outcome;
import io.lb4j.okhttp.CallTrace.Attempt;
import io.lb4j.okhttp.CallTrace;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.WeakHashMap;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects one call's {@link CallTrace} while it runs and hands it out with the call's answer or
 * failure. Exists only when tracing is on: a call without it allocates nothing for tracing.
 * Thread-safe: a hedged call's attempts end on other threads.
 */
public final class TracedCall {
  private static final Logger PICK_TRACE = LoggerFactory.getLogger("io.lb4j.okhttp.PickTrace");
  // Failed calls' traces, by exception identity (Throwable keeps Object's equals); an entry goes
  // with its exception. Kept beside the exception rather than in it, so that its suppressed
  // exceptions stay the causes of the earlier attempts, one each.
  private static final Map<Throwable, CallTrace> FAILED = new WeakHashMap<>();

  private final String service;
  private final boolean explains;
  private final List<Attempt> attempts = new ArrayList<>(2);
  // Each attempt's pick explanation, by attempt number - 1, until the attempt ends.
  private final List<PickExplanation> explanations;

  private TracedCall(String service, boolean explains) {
    this.service = service;
    this.explains = explains;
    this.explanations = explains ? new ArrayList<>(2) : null;
  }

  /** A trace of one call of {@code service} at {@code detail}, or null when it is off. */
  public static TracedCall startOrNull(String service, CallTrace.Detail detail) {
    return switch (detail) {
      case OFF -> null;
      case ATTEMPTS -> new TracedCall(service, false);
      case ATTEMPTS_AND_EXPLANATIONS -> new TracedCall(service, true);
    };
  }

  /** Whether picks should be explained for this trace. */
  boolean explains() {
    return explains;
  }

  /** The explanation of attempt {@code number}'s pick; a later one (breaker refusals) replaces it. */
  synchronized void explained(int number, PickExplanation explanation) {
    while (explanations.size() < number) {
      explanations.add(null);
    }
    explanations.set(number - 1, explanation);
  }

  /** Attempt {@code number} ended; {@code status} 0 when no answer came. */
  synchronized void ended(int number, AttemptKind kind, Endpoint endpoint, Outcome outcome,
      int status, String detail, long latencyNanos) {
    PickExplanation explanation =
        explains && number <= explanations.size() ? explanations.get(number - 1) : null;
    attempts.add(new Attempt(number, kind, endpoint, outcome,
        status == 0 ? OptionalInt.empty() : OptionalInt.of(status), detail,
        Duration.ofNanos(latencyNanos), Optional.ofNullable(explanation)));
  }

  /** The trace so far, attempts in the order they were sent. */
  synchronized CallTrace snapshot() {
    List<Attempt> sorted = new ArrayList<>(attempts);
    sorted.sort(Comparator.comparingInt(Attempt::number));
    return new CallTrace(service, sorted);
  }

  /** {@code response}, its request tagged with the call's trace; logs the trace at DEBUG. */
  public Response attach(Response response) {
    CallTrace trace = logged(snapshot());
    return response.newBuilder()
        .request(response.request().newBuilder().tag(CallTrace.class, trace).build())
        .build();
  }

  /**
   * {@code failure}, now known to carry the call's trace (see {@link #traceOf}); logs it at DEBUG.
   * The exception itself is left as it is: its suppressed exceptions stay one per earlier attempt.
   */
  public IOException attach(IOException failure) {
    CallTrace trace = logged(snapshot());
    synchronized (FAILED) {
      FAILED.put(failure, trace);
    }
    return failure;
  }

  /**
   * The trace attached to {@code failure} or to one of its causes: OkHttp may wrap the
   * interceptor's exception (a call timeout's {@code InterruptedIOException} has it as its cause).
   */
  public static Optional<CallTrace> traceOf(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      CallTrace trace;
      synchronized (FAILED) {
        trace = FAILED.get(t);
      }
      if (trace != null) {
        return Optional.of(trace);
      }
    }
    return Optional.empty();
  }

  private static CallTrace logged(CallTrace trace) {
    PICK_TRACE.debug("{}", trace);
    return trace;
  }
}
