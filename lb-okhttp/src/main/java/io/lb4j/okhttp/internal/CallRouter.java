package io.lb4j.okhttp.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.NoEndpointAvailableException;
import io.lb4j.core.Pick;
import io.lb4j.core.PickContext;
import io.lb4j.okhttp.internal.RequestSentMarker.Attempt;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.Interceptor.Chain;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one call of one service: pick, send, record, and retry elsewhere while it is safe, allowed,
 * budgeted and in time. One instance per call, used by the call's thread (and, for a body still
 * being read, by whichever thread ends it).
 *
 * <p>An attempt's outcome is recorded once: at its response headers for a status that fails it
 * (5xx, a retryable one), at its exception, or when its body ends — read in full here (idempotent
 * calls with a body up to the buffer limit), or in the caller's hands (read to the end or closed
 * early: success; cut off: failure). An attempt that never put the endpoint to the test (its
 * breaker refused it, the caller canceled the call, a bug below us threw) gives its pick back with
 * {@link Pick#cancel()} and its permission back to the breaker. The call timeout firing during an
 * attempt is that endpoint's failure: it did not answer in the time the caller gave.
 */
public final class CallRouter {
  private static final Logger log = LoggerFactory.getLogger(CallRouter.class);
  // OkHttp starts the call timeout a little before this interceptor runs: a cancel this close to
  // our own reckoning of the deadline is the timeout firing, not the caller.
  private static final long DEADLINE_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  // An answer kept across a wait (to return if no endpoint is left) keeps this much of its body.
  private static final long KEPT_BODY_LIMIT = 64 * 1024;

  private final Chain chain;
  private final ServiceRoute route;
  private final RetryPolicy policy;
  private final boolean sendsTracked;
  private final boolean preserveHost;
  private final List<IOException> failures = new ArrayList<>();
  private final Map<String, String> refusedByBreakers = new LinkedHashMap<>();
  private final long callStart;
  private final long callTimeoutNanos;

  public CallRouter(Chain chain, ServiceRoute route, RetryPolicy policy, boolean sendsTracked,
      boolean preserveHost) {
    this.chain = chain;
    this.route = route;
    this.policy = policy;
    this.sendsTracked = sendsTracked;
    this.preserveHost = preserveHost;
    this.callStart = policy.ticker().read();
    this.callTimeoutNanos = chain.call().timeout().timeoutNanos();
  }

  public Response proceed() throws IOException {
    Request request = chain.request();
    PickContext context = route.contextFor(request);
    boolean mayResend = policy.mayResendAfterSent(request);
    route.budget().deposit();
    Response previous = null; // detached: its body in memory, its connection back in the pool
    for (int attempt = 1; ; attempt++) {
      context.attempt(attempt);
      Pick pick;
      CircuitBreaker breaker;
      try {
        pick = pickPermitted(context);
        breaker = route.breakers().of(pick.endpoint());
      } catch (NoEndpointAvailableException e) {
        // Nothing left to try: the last failure is the call's answer.
        if (previous != null) {
          return previous;
        }
        if (failures.isEmpty()) {
          throw noEndpoint(e);
        }
        throw lastFailure();
      }
      previous = null;
      Endpoint endpoint = pick.endpoint();
      context.exclude(endpoint);
      Attempt marker = new Attempt();
      long start = policy.ticker().read();
      Response response;
      try {
        response = marker.restore(attemptChain().proceed(routed(request, endpoint, marker)));
      } catch (IOException caught) {
        IOException e = SentAttemptFailure.unwrap(caught);
        failures.add(e);
        // The caller canceled, or the call timeout fired: nobody wants another attempt.
        if (endFailed(pick, breaker, attempt, elapsedSince(start), e)) {
          throw lastFailure();
        }
        // The request may have reached the server, and sending it twice could do harm.
        if (!mayResend && mayHaveBeenSent(marker, e)) {
          throw lastFailure();
        }
        if (!waitForRetry(attempt, context, null)) {
          throw lastFailure();
        }
        continue;
      } catch (RuntimeException | Error e) {
        // A bug or a misuse below us says nothing about the endpoint, and deserves no retry.
        breaker.releasePermission();
        pick.cancel();
        throw e;
      }
      boolean retryable = policy.isRetryableStatus(response);
      if (!retryable && response.code() < 500) {
        if (!mayResend || policy.bodyBufferLimit() == 0) {
          return watchBody(response, pick, breaker, attempt, start);
        }
        // Idempotent: read a small body here, so that one cut off mid-way goes to another endpoint.
        IOException truncated = bufferBody(response);
        if (truncated == null) {
          return response.body().source().buffer().size() > policy.bodyBufferLimit()
              ? watchBody(response, pick, breaker, attempt, start)
              : recordSuccess(response, pick, breaker, attempt, elapsedSince(start));
        }
        response.close();
        failures.add(truncated);
        if (endFailed(pick, breaker, attempt, elapsedSince(start), truncated)) {
          throw lastFailure();
        }
        if (!waitForRetry(attempt, context, null)) {
          throw lastFailure();
        }
        continue;
      }
      HttpStatusFailure status = new HttpStatusFailure(response.code(), endpoint.id(), attempt);
      recordStatus(pick, breaker, attempt, elapsedSince(start), response.code(), status);
      // A status that another endpoint would not change; or the server saw a request that may
      // only go once.
      if (!retryable || !mayResend) {
        return response;
      }
      failures.add(status);
      long delay = retryDelay(attempt, context, response);
      if (delay < 0) {
        return response;
      }
      // Waiting must not hold the connection; the answer stays, in memory, in case none is left.
      previous = detach(response);
      waitOut(delay);
    }
  }

  /**
   * Reads up to one byte past the buffer limit into the body's buffer; the body stays readable
   * from the start. Returns the failure that cut it off, or null.
   */
  private IOException bufferBody(Response response) {
    try {
      response.body().source().request(policy.bodyBufferLimit() + 1);
      return null;
    } catch (IOException e) {
      return e;
    }
  }

  private Response recordSuccess(Response response, Pick pick, CircuitBreaker breaker, int attempt,
      long elapsed) {
    breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
    pick.complete(true, elapsed);
    if (log.isDebugEnabled()) {
      log.debug("service '{}' attempt {} to {}: HTTP {} in {} µs",
          route.name(), attempt, pick.endpoint().id(), response.code(), elapsed / 1000);
    }
    return response;
  }

  /** {@code response}, whose attempt ends when its body does (latency: until the headers). */
  private Response watchBody(Response response, Pick pick, CircuitBreaker breaker, int attempt,
      long start) {
    long headersElapsed = elapsedSince(start);
    return BodyOutcome.watch(response, failure -> {
      if (failure == null) {
        recordSuccess(response, pick, breaker, attempt, headersElapsed);
      } else {
        endFailed(pick, breaker, attempt, elapsedSince(start), failure);
      }
    });
  }

  /**
   * Ends a failed attempt: the endpoint's failure, unless the caller canceled the call (then it
   * counts neither way). Returns whether the call is over (canceled, or its timeout fired).
   */
  private boolean endFailed(Pick pick, CircuitBreaker breaker, int attempt, long elapsed,
      IOException e) {
    boolean canceled = chain.call().isCanceled();
    if (canceled && !deadlineReached()) {
      breaker.releasePermission();
      pick.cancel();
    } else {
      breaker.onError(elapsed, TimeUnit.NANOSECONDS, e);
      pick.complete(false, elapsed);
    }
    if (log.isDebugEnabled()) {
      log.debug("service '{}' attempt {} to {} failed after {} µs: {}",
          route.name(), attempt, pick.endpoint().id(), elapsed / 1000, e.toString());
    }
    return canceled;
  }

  /** A 5xx counts against the endpoint; any other status, 429 included, is the endpoint working. */
  private void recordStatus(Pick pick, CircuitBreaker breaker, int attempt, long elapsed,
      int code, HttpStatusFailure status) {
    boolean serverError = code >= 500;
    if (serverError) {
      breaker.onError(elapsed, TimeUnit.NANOSECONDS, status);
    } else {
      breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
    }
    pick.complete(!serverError, elapsed);
    if (log.isDebugEnabled()) {
      log.debug("service '{}' attempt {} to {}: HTTP {} in {} µs",
          route.name(), attempt, pick.endpoint().id(), code, elapsed / 1000);
    }
  }

  /** Whether attempt {@code attempt + 1} may go; waits its delay first when it returns true. */
  private boolean waitForRetry(int attempt, PickContext context, Response response)
      throws IOException {
    long delay = retryDelay(attempt, context, response);
    if (delay < 0) {
      return false;
    }
    waitOut(delay);
    return true;
  }

  /**
   * The wait before attempt {@code attempt + 1}, or -1 if it may not go: attempts, an untried
   * endpoint, budget and time remain. Takes the retry from the budget when it returns a wait.
   */
  private long retryDelay(int attempt, PickContext context, Response response) {
    // The caller's patience, in attempts, is spent.
    if (attempt >= policy.maxAttempts()) {
      return -1;
    }
    // Every eligible endpoint was tried: waiting and spending budget would buy nothing.
    if (!hasUntried(context)) {
      return -1;
    }
    // A dispatcher thread that waits holds one of the client's request slots doing nothing; the
    // retry goes to another endpoint anyway.
    long delay = DispatcherThreads.isCurrentThread() ? 0 : policy.delayNanos(attempt, response);
    // A wait that cannot end before the deadline would turn the last answer into a timeout.
    if (callTimeoutNanos > 0 && delay >= remainingNanos()) {
      return -1;
    }
    // The service is already receiving as many retries as it is allowed; more would pile on.
    if (!route.budget().tryWithdraw()) {
      if (route.budgetWarnings().tryAcquire()) {
        log.warn("service '{}': retry budget exhausted, failures go back to callers without retry "
            + "(logged at most every 10 s)", route.name());
      }
      return -1;
    }
    return delay;
  }

  private void waitOut(long delay) throws IOException {
    if (delay > 0) {
      policy.sleeper().sleep(delay, chain.call());
    }
    if (chain.call().isCanceled()) {
      IOException canceled = new IOException("Canceled");
      failures.add(canceled);
      throw lastFailure();
    }
  }

  /** {@code response} with its body (up to a bound) in memory and its connection released. */
  private static Response detach(Response response) {
    ResponseBody kept;
    try {
      kept = response.peekBody(KEPT_BODY_LIMIT);
    } catch (IOException e) {
      kept = ResponseBody.create(new byte[0], response.body().contentType());
    }
    response.close();
    return response.newBuilder().body(kept).build();
  }

  /** Whether an eligible endpoint remains that this call has not tried. O(n); retries only. */
  private boolean hasUntried(PickContext context) {
    Candidates candidates = route.balancer().selector().candidates();
    for (int i = 0; i < candidates.size(); i++) {
      if (!context.isExcluded(candidates.endpoint(i))) {
        return true;
      }
    }
    return false;
  }

  /** Picks an endpoint whose breaker lets the attempt through; skipped ones cost no attempt. */
  private Pick pickPermitted(PickContext context) {
    while (true) {
      Pick pick = route.balancer().pick(context);
      CircuitBreaker breaker = route.breakers().of(pick.endpoint());
      if (breaker.tryAcquirePermission()) {
        return pick;
      }
      // Open, or half-open with its probe calls taken: the endpoint was never tried.
      pick.cancel();
      context.exclude(pick.endpoint());
      refusedByBreakers.put(pick.endpoint().id(), breaker.getState().name());
      log.debug("service '{}': breaker of {} denied the attempt, picking another",
          route.name(), pick.endpoint().id());
    }
  }

  /** Why no endpoint could take the call, naming the breakers that kept endpoints out. */
  private IOException noEndpoint(NoEndpointAvailableException e) {
    Map<String, String> breakers = new LinkedHashMap<>(refusedByBreakers);
    route.breakers().openBreakers().forEach((id, state) -> breakers.putIfAbsent(id, state.name()));
    StringBuilder message = new StringBuilder("service '").append(route.name())
        .append("': no endpoint can take the call: ");
    breakers.forEach((id, state) ->
        message.append("circuit breaker of ").append(id).append(" is ").append(state).append("; "));
    return new IOException(message.append(e.getMessage()).toString(), e);
  }

  private boolean mayHaveBeenSent(Attempt marker, IOException e) {
    if (marker.reachedNetwork()) {
      return true;
    }
    if (sendsTracked) {
      return false; // the network marker never ran: no connection, so no byte of the request left
    }
    return !(e instanceof ConnectException
        || e instanceof NoRouteToHostException
        || e instanceof UnknownHostException);
  }

  private Request routed(Request request, Endpoint endpoint, Attempt marker) {
    HttpUrl logical = request.url();
    HttpUrl url = logical.newBuilder().host(endpoint.host()).port(endpoint.port()).build();
    Request.Builder builder = request.newBuilder().url(url).tag(Attempt.class, marker);
    if (preserveHost && request.header("Host") == null) {
      builder.header("Host", hostHeader(logical));
    }
    return builder.build();
  }

  private static String hostHeader(HttpUrl url) {
    String host = url.host().indexOf(':') >= 0 ? "[" + url.host() + "]" : url.host();
    return url.port() == HttpUrl.defaultPort(url.scheme()) ? host : host + ":" + url.port();
  }

  /**
   * Each attempt runs with the client's own timeouts, the call timeout bounding them all; a
   * per-try timeout, when set, caps its connect, read and write timeouts.
   */
  private Chain attemptChain() {
    long perTry = policy.perTryTimeoutNanos();
    if (perTry == 0) {
      return chain;
    }
    int cap = (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(perTry)));
    Chain limited = chain;
    if (chain.connectTimeoutMillis() == 0 || cap < chain.connectTimeoutMillis()) {
      limited = limited.withConnectTimeout(cap, TimeUnit.MILLISECONDS);
    }
    if (chain.readTimeoutMillis() == 0 || cap < chain.readTimeoutMillis()) {
      limited = limited.withReadTimeout(cap, TimeUnit.MILLISECONDS);
    }
    if (chain.writeTimeoutMillis() == 0 || cap < chain.writeTimeoutMillis()) {
      limited = limited.withWriteTimeout(cap, TimeUnit.MILLISECONDS);
    }
    return limited;
  }

  private long remainingNanos() {
    return callTimeoutNanos - elapsedSince(callStart);
  }

  private boolean deadlineReached() {
    return callTimeoutNanos > 0 && remainingNanos() <= DEADLINE_SLACK_NANOS;
  }

  /** The latest failure, carrying every earlier attempt's failure as suppressed, in order. */
  private IOException lastFailure() {
    IOException last = failures.get(failures.size() - 1);
    for (int i = 0; i < failures.size() - 1; i++) {
      last.addSuppressed(failures.get(i));
    }
    return last;
  }

  private long elapsedSince(long start) {
    return Math.max(0, policy.ticker().read() - start);
  }
}
