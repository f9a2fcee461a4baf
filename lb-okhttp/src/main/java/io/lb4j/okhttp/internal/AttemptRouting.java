package io.lb4j.okhttp.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.NoEndpointAvailableException;
import io.lb4j.core.Pick;
import io.lb4j.core.PickContext;
import io.lb4j.core.PickExplanation;
import io.lb4j.okhttp.CallListener.AttemptKind;
import io.lb4j.okhttp.CallListener.Outcome;
import io.lb4j.okhttp.internal.RequestSentMarker.Attempt;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one call's attempts go: picks an endpoint whose breaker lets the attempt through,
 * rewrites the request to it, records each attempt's outcome with its pick and breaker, and says
 * why when no endpoint is left. One instance per call; not thread-safe except the recording
 * methods, which touch only thread-safe parts.
 */
final class AttemptRouting {
  private static final Logger log = LoggerFactory.getLogger(AttemptRouting.class);
  /** Logs {@link io.lb4j.core.LoadBalancer#explain} before each pick at DEBUG; off by default. */
  private static final Logger PICK_TRACE = LoggerFactory.getLogger("io.lb4j.okhttp.PickTrace");

  // An answer kept while other attempts run (to return if none does better) keeps this much body.
  private static final long KEPT_BODY_LIMIT = 64 * 1024;

  private static final long MIN_DEADLINE_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  // Why an attempt was given back, as its trace says.
  static final String CANCELED_BY_CALLER = "the caller canceled the call";
  static final String FAILED_BELOW = "the call failed below the interceptor";
  static final String LOST_HEDGE = "lost the hedged race";
  static final String INTERRUPTED = "the caller's thread was interrupted";

  private final ServiceRoute route;
  private final boolean preserveHost;
  private final boolean hedged;
  private final TracedCall trace; // null unless tracing is on
  // Endpoints whose breakers turned this call away, with their states; created on the first one.
  private Map<String, String> refusedByBreakers;

  AttemptRouting(ServiceRoute route, boolean preserveHost, boolean hedged, TracedCall trace) {
    this.route = route;
    this.preserveHost = preserveHost;
    this.hedged = hedged;
    this.trace = trace;
  }

  private AttemptKind kindOf(int attempt) {
    if (attempt == 1) {
      return AttemptKind.FIRST;
    }
    return hedged ? AttemptKind.HEDGE : AttemptKind.RETRY;
  }

  ServiceRoute route() {
    return route;
  }

  /**
   * Picks an endpoint whose breaker lets attempt number {@code attempt} (1 for the first, named in
   * the pick trace) through; skipped ones cost no attempt.
   */
  Pick pickPermitted(PickContext context, int attempt) {
    while (true) {
      if (PICK_TRACE.isDebugEnabled() || (trace != null && trace.explains())) {
        PickExplanation explanation = route.balancer().explain(context);
        PICK_TRACE.debug("service '{}' attempt {}: {}", route.name(), attempt, explanation);
        if (trace != null && trace.explains()) {
          trace.explained(attempt, explanation);
        }
      }
      Pick pick = route.balancer().pick(context);
      if (route.breakers().tryAcquirePermission(pick.endpoint())) {
        return pick;
      }
      CircuitBreaker breaker = route.breakers().of(pick.endpoint());
      // Open, or half-open with its probe calls taken: the endpoint was never tried.
      pick.cancel();
      context.exclude(pick.endpoint());
      if (refusedByBreakers == null) {
        refusedByBreakers = new LinkedHashMap<>();
      }
      refusedByBreakers.put(pick.endpoint().id(), breaker.getState().name());
      log.debug("service '{}': breaker of {} denied the attempt, picking another",
          route.name(), pick.endpoint().id());
    }
  }

  /** Whether an eligible endpoint remains that this call has not tried. O(n); retries only. */
  boolean hasUntried(PickContext context) {
    Candidates candidates = route.balancer().selector().candidates();
    for (int i = 0; i < candidates.size(); i++) {
      if (!context.isExcluded(candidates.endpoint(i))) {
        return true;
      }
    }
    return false;
  }

  /** Why no endpoint could take the call, naming the breakers that kept endpoints out. */
  /**
   * A refused pick as the call's failure: nothing eligible ({@link #noEndpoint}), or the balancer
   * closed before or during the call. Any other {@link RuntimeException} is a bug and is rethrown.
   */
  IOException refusal(RuntimeException e) {
    if (e instanceof NoEndpointAvailableException noEndpoint) {
      return noEndpoint(noEndpoint);
    }
    if (e instanceof IllegalStateException && route.balancer().isClosed()) {
      return new IOException(e.getMessage(), e);
    }
    throw e;
  }

  IOException noEndpoint(NoEndpointAvailableException e) {
    Map<String, String> breakers = refusedByBreakers == null
        ? new LinkedHashMap<>() : new LinkedHashMap<>(refusedByBreakers);
    route.breakers().openBreakers().forEach((id, state) -> breakers.putIfAbsent(id, state.name()));
    StringBuilder message = new StringBuilder("service '").append(route.name())
        .append("': no endpoint can take the call: ");
    breakers.forEach((id, state) ->
        message.append("circuit breaker of ").append(id).append(" is ").append(state).append("; "));
    return new IOException(message.append(e.getMessage()).toString(), e);
  }

  /**
   * {@code request} sent to {@code endpoint}, tagged with {@code marker}.
   *
   * @throws UnaddressableEndpointException if OkHttp refuses the endpoint's host in a URL, or
   *     would turn it into another name
   */
  Request routed(Request request, Endpoint endpoint, Attempt marker)
      throws UnaddressableEndpointException {
    HttpUrl logical = request.url();
    HttpUrl url;
    try {
      url = EndpointUrls.pointedAt(logical.newBuilder(), endpoint);
    } catch (IllegalArgumentException e) {
      throw unaddressable(endpoint, e.getMessage(), e);
    }
    Request.Builder builder = request.newBuilder().url(url).tag(Attempt.class, marker);
    if (preserveHost && request.header("Host") == null) {
      builder.header("Host", hostHeader(logical));
    }
    return builder.build();
  }

  /**
   * {@code e}, an attempt's failure, naming {@code endpoint} when it is the failure to resolve its
   * name; thread-safe. Only a failure that names the endpoint's host is its own: the name of a
   * proxy or of a redirect's target may fail to resolve too, and says nothing about the endpoint.
   */
  IOException attributed(Endpoint endpoint, IOException e) {
    if (e instanceof UnknownHostException && !(e instanceof UnaddressableEndpointException)
        && namesHost(e, endpoint)) {
      return unaddressable(endpoint, "its name does not resolve (" + e.getMessage() + ")", e);
    }
    return e;
  }

  private static boolean namesHost(IOException e, Endpoint endpoint) {
    String message = e.getMessage();
    return message != null
        && message.toLowerCase(Locale.ROOT).contains(endpoint.host().toLowerCase(Locale.ROOT));
  }

  /** The failure to address {@code endpoint}, logged. */
  private UnaddressableEndpointException unaddressable(Endpoint endpoint, String reason,
      Exception cause) {
    UnaddressableEndpointException e =
        new UnaddressableEndpointException(route.name(), endpoint, reason, cause);
    route.warnUnaddressable(log, e);
    return e;
  }

  private static String hostHeader(HttpUrl url) {
    String host = url.host().indexOf(':') >= 0 ? "[" + url.host() + "]" : url.host();
    return url.port() == HttpUrl.defaultPort(url.scheme()) ? host : host + ":" + url.port();
  }

  /** The endpoint answered: a 5xx counts against it, any other status (429 included) for it. */
  void recordStatus(Pick pick, int attempt, long elapsed, int code) {
    traceStatus(pick, attempt, elapsed, code);
    settleStatus(pick, attempt, elapsed, code);
  }

  private void traceStatus(Pick pick, int attempt, long elapsed, int code) {
    if (trace != null) {
      trace.ended(attempt, kindOf(attempt), pick.endpoint(), Outcome.ofStatus(code), code, "",
          elapsed);
    }
  }

  private void settleStatus(Pick pick, int attempt, long elapsed, int code) {
    CircuitBreaker breaker = route.breakers().of(pick.endpoint());
    boolean serverError = code >= 500;
    if (serverError) {
      breaker.onError(elapsed, TimeUnit.NANOSECONDS,
          new HttpStatusFailure(code, pick.endpoint().id(), attempt));
    } else {
      breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
      if (route.latencies() != null) {
        route.latencies().record(elapsed);
      }
    }
    pick.complete(!serverError, elapsed);
    route.listener().attemptEnded(route.name(), pick.endpoint(), kindOf(attempt),
        Outcome.ofStatus(code), elapsed);
    if (log.isDebugEnabled()) {
      log.debug("service '{}' attempt {} to {}: HTTP {} in {} µs",
          route.name(), attempt, pick.endpoint().id(), code, elapsed / 1000);
    }
  }

  /** The endpoint failed the attempt (an I/O error, a timeout, a body cut off). */
  void recordFailure(Pick pick, int attempt, long elapsed, IOException e) {
    if (trace != null) {
      trace.ended(attempt, kindOf(attempt), pick.endpoint(), Outcome.IO_ERROR, 0, e.toString(),
          elapsed);
    }
    settleFailure(pick, attempt, elapsed, e);
  }

  private void settleFailure(Pick pick, int attempt, long elapsed, IOException e) {
    route.breakers().of(pick.endpoint()).onError(elapsed, TimeUnit.NANOSECONDS, e);
    pick.complete(false, elapsed);
    route.listener().attemptEnded(route.name(), pick.endpoint(), kindOf(attempt), Outcome.IO_ERROR,
        elapsed);
    if (log.isDebugEnabled()) {
      log.debug("service '{}' attempt {} to {} failed after {} µs: {}",
          route.name(), attempt, pick.endpoint().id(), elapsed / 1000, e.toString());
    }
  }

  /**
   * {@code response}, whose attempt is recorded when its body ends: a success (latency: until the
   * headers) when read to the end or closed early, a failure when a read fails, or nothing when
   * {@code givenUp} says the read failed because the caller gave up. The trace records the
   * answer at once: the call's trace is handed out with the response.
   */
  Response recordOnBodyEnd(Response response, Pick pick, int attempt, long headersElapsed,
      LongSupplier elapsed, Predicate<IOException> givenUp) {
    traceStatus(pick, attempt, headersElapsed, response.code());
    return BodyOutcome.watch(response, failure -> {
      if (failure == null) {
        settleStatus(pick, attempt, headersElapsed, response.code());
      } else if (givenUp.test(failure)) {
        settleGiveBack(pick, attempt);
      } else {
        settleFailure(pick, attempt, elapsed.getAsLong(), failure);
      }
    });
  }

  /**
   * {@code response} with its body (up to {@value #KEPT_BODY_LIMIT} bytes) in memory and its
   * stream closed, so that keeping it while other attempts run holds no exchange open.
   */
  static Response detach(Response response) {
    ResponseBody kept;
    try {
      kept = response.peekBody(KEPT_BODY_LIMIT);
    } catch (IOException e) {
      kept = ResponseBody.create(new byte[0], response.body().contentType());
    }
    response.close();
    return response.newBuilder().body(kept).build();
  }

  /**
   * Whether a canceled call was canceled by its call timeout rather than by its caller, given the
   * time left by this interceptor's own reckoning. OkHttp starts the call timeout before the
   * interceptor runs (the user's interceptors and a descheduled thread come in between) and does
   * not say which cancel it was: a cancel within the last tenth of the call timeout (at least
   * 20 ms) counts as the timeout. The endpoint then had nine tenths of the time and had not
   * answered.
   */
  static boolean deadlineReached(long callTimeoutNanos, long remainingNanos) {
    return callTimeoutNanos > 0
        && remainingNanos <= Math.max(MIN_DEADLINE_SLACK_NANOS, callTimeoutNanos / 10);
  }

  /**
   * Whether {@code e}, a failed read of a body after the interceptor returned, is OkHttp's call
   * timeout: OkHttp turns the cancel its timer made into this exception, where a caller's own
   * cancel gives another one.
   */
  static boolean isCallTimeout(IOException e) {
    // A read timeout says "timeout" too, as a SocketTimeoutException.
    return e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)
        && "timeout".equals(e.getMessage());
  }

  /** The latest of {@code failures}, carrying every earlier one as suppressed, in order. */
  static IOException lastFailure(List<IOException> failures) {
    IOException last = failures.get(failures.size() - 1);
    for (int i = 0; i < failures.size() - 1; i++) {
      last.addSuppressed(failures.get(i));
    }
    return last;
  }

  /**
   * The attempt never put the endpoint to the test (canceled, lost a hedge, a bug below us);
   * {@code why} says which, for the trace.
   */
  void giveBack(Pick pick, int attempt, String why) {
    if (trace != null) {
      trace.ended(attempt, kindOf(attempt), pick.endpoint(), Outcome.CANCELED, 0, why, 0);
    }
    settleGiveBack(pick, attempt);
  }

  private void settleGiveBack(Pick pick, int attempt) {
    route.breakers().of(pick.endpoint()).releasePermission();
    pick.cancel();
    route.listener().attemptEnded(route.name(), pick.endpoint(), kindOf(attempt), Outcome.CANCELED,
        0);
  }
}
