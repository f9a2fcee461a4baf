package io.lb4j.okhttp.internal;

import io.lb4j.core.Endpoint;
import io.lb4j.core.NoEndpointAvailableException;
import io.lb4j.core.Pick;
import io.lb4j.core.PickContext;
import io.lb4j.okhttp.CallListener.RetryDecision;
import io.lb4j.okhttp.internal.RequestSentMarker.Attempt;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor.Chain;
import okhttp3.Request;
import okhttp3.Response;
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
  /** Logs {@link io.lb4j.core.LoadBalancer#explain} before each pick at DEBUG; off by default. */

  private final Chain chain;
  private final ServiceRoute route;
  private final AttemptRouting routing;
  private final RetryPolicy policy;
  private final boolean sendsTracked;
  private final List<IOException> failures = new ArrayList<>();
  private final long callStart;
  private final long callTimeoutNanos;

  /** A router for one call; {@code trace} records its attempts, or is null when tracing is off. */
  public CallRouter(Chain chain, ServiceRoute route, RetryPolicy policy, boolean sendsTracked,
      boolean preserveHost, TracedCall trace) {
    this.chain = chain;
    this.route = route;
    this.routing = new AttemptRouting(route, preserveHost, false, trace);
    this.policy = policy;
    this.sendsTracked = sendsTracked;
    this.callStart = policy.ticker().read();
    this.callTimeoutNanos = chain.call().timeout().timeoutNanos();
  }

  /**
   * Runs the call: the answer of the last attempt made, or its failure with every earlier one
   * attached as suppressed.
   */
  public Response proceed() throws IOException {
    Request request = chain.request();
    PickContext context = route.contextFor(request);
    boolean mayResend = policy.mayResendAfterSent(request);
    route.budget().deposit();
    Response previous = null; // detached: its body in memory, its stream closed
    for (int attempt = 1; ; attempt++) {
      Pick pick;
      try {
        pick = routing.pickPermitted(context, attempt);
      } catch (NoEndpointAvailableException | IllegalStateException e) {
        // Nothing left to try, or the balancer closed while the call waited to retry: the last
        // answer stands, else the last failure, carrying every earlier one.
        IOException refusal = routing.refusal(e);
        if (previous != null) {
          return previous;
        }
        if (failures.isEmpty() || e instanceof IllegalStateException) {
          failures.add(refusal);
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
        Request routed = routing.routed(request, endpoint, marker);
        response = marker.restore(attemptChain().proceed(routed));
      } catch (IOException caught) {
        IOException e = routing.attributed(endpoint, SentAttemptFailure.unwrap(caught));
        // The request may have reached the server, and sending it twice could do harm.
        boolean resendForbidden = !mayResend && mayHaveBeenSent(marker, e);
        if (!retryAfterFailure(e, pick, attempt, start, context, resendForbidden)) {
          throw lastFailure();
        }
        continue;
      } catch (RuntimeException | Error e) {
        // A bug or a misuse below us says nothing about the endpoint, and deserves no retry.
        routing.giveBack(pick, attempt, AttemptRouting.FAILED_BELOW);
        throw e;
      }
      boolean retryable = policy.isRetryableStatus(response);
      if (!retryable && response.code() < 500) {
        if (BodyShape.isEmpty(request, response)) {
          return recordAnswer(response, pick, attempt, elapsedSince(start));
        }
        if (!mayResend || !BodyShape.fitsBuffer(response, policy.bodyBufferLimit())) {
          return watchBody(response, pick, attempt, start);
        }
        // Idempotent: read a small body here, so that one cut off mid-way goes to another endpoint.
        IOException truncated = bufferBody(response);
        if (truncated == null) {
          return recordAnswer(response, pick, attempt, elapsedSince(start));
        }
        response.close();
        if (!retryAfterFailure(truncated, pick, attempt, start, context, false)) {
          throw lastFailure();
        }
        continue;
      }
      recordAnswer(response, pick, attempt, elapsedSince(start));
      // A status that another endpoint would not change; or the server saw a request that may
      // only go once.
      if (!retryable || !mayResend) {
        return response;
      }
      failures.add(new HttpStatusFailure(response.code(), endpoint.id(), attempt));
      long delay = retryDelay(attempt, context, response);
      if (delay < 0) {
        return response;
      }
      // Waiting must not hold the answer's stream open; it stays, in memory, in case none is left.
      previous = AttemptRouting.detach(response);
      waitOut(delay);
    }
  }

  /**
   * Reads the body, of a known length within the buffer limit, into its buffer; the body stays
   * readable from the start. Returns the failure that cut it off, or null.
   */
  private IOException bufferBody(Response response) {
    try {
      response.body().source().request(response.body().contentLength() + 1);
      return null;
    } catch (IOException e) {
      return e;
    }
  }

  private Response recordAnswer(Response response, Pick pick, int attempt, long elapsed) {
    routing.recordStatus(pick, attempt, elapsed, response.code());
    return response;
  }

  /** {@code response}, whose attempt ends when its body does (latency: until the headers). */
  private Response watchBody(Response response, Pick pick, int attempt, long start) {
    return routing.recordOnBodyEnd(response, pick, attempt, elapsedSince(start),
        () -> elapsedSince(start),
        failure -> chain.call().isCanceled() && !AttemptRouting.isCallTimeout(failure));
  }

  /**
   * Ends a failed attempt: the endpoint's failure, unless the caller canceled the call or
   * interrupted its thread (then it counts neither way). Returns whether the call is over
   * (canceled, interrupted, or its timeout fired).
   */
  private boolean endFailed(Pick pick, int attempt, long elapsed, IOException e) {
    // An interrupted caller gave up as one who cancels does; the flag stays for the caller.
    if (Thread.currentThread().isInterrupted()) {
      routing.giveBack(pick, attempt, AttemptRouting.INTERRUPTED);
      return true;
    }
    boolean canceled = chain.call().isCanceled();
    if (canceled && !deadlineReached()) {
      routing.giveBack(pick, attempt, AttemptRouting.CANCELED_BY_CALLER);
    } else {
      routing.recordFailure(pick, attempt, elapsed, e);
    }
    return canceled;
  }

  /**
   * Ends a failed attempt and, if another may go, waits for it. Returns false when the call ends
   * with this failure: canceled, timed out, a re-send forbidden, or no retry allowed.
   */
  private boolean retryAfterFailure(IOException e, Pick pick, int attempt, long start,
      PickContext context, boolean resendForbidden) throws IOException {
    failures.add(e);
    // The caller canceled, or the call timeout fired: nobody wants another attempt.
    if (endFailed(pick, attempt, elapsedSince(start), e)) {
      return false;
    }
    return !resendForbidden && waitForRetry(attempt, context, null);
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
      return refused(RetryDecision.ATTEMPTS_EXHAUSTED);
    }
    // Every eligible endpoint was tried: waiting and spending budget would buy nothing.
    if (!routing.hasUntried(context)) {
      return refused(RetryDecision.NO_ENDPOINT_LEFT);
    }
    // A dispatcher thread that waits holds one of the client's request slots doing nothing; the
    // retry goes to another endpoint anyway.
    long delay = DispatcherThreads.isCurrentThread() ? 0 : policy.delayNanos(attempt, response);
    // A wait that cannot end before the deadline would turn the last answer into a timeout.
    if (callTimeoutNanos > 0 && delay >= remainingNanos()) {
      return refused(RetryDecision.NO_TIME_LEFT);
    }
    // The service is already receiving as many retries as it is allowed; more would pile on.
    if (!route.budget().tryWithdraw()) {
      route.warnBudgetExhausted(log);
      return refused(RetryDecision.BUDGET_EXHAUSTED);
    }
    route.listener().retryDecided(route.name(), RetryDecision.RETRIED);
    return delay;
  }

  /** Tells the listener why no retry goes; always -1, the answer of {@link #retryDelay}. */
  private long refused(RetryDecision decision) {
    route.listener().retryDecided(route.name(), decision);
    return -1;
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

  private boolean mayHaveBeenSent(Attempt marker, IOException e) {
    if (RequestSentMarker.isKnownUnsent(e)) {
      return false; // the server said it did not process it
    }
    if (marker.reachedNetwork()) {
      return true;
    }
    if (sendsTracked) {
      return false; // the network marker never ran: no connection, so no byte of the request left
    }
    // Without the marker, a failure to connect says the request was not sent, unless it came
    // from a follow-up OkHttp made itself (a redirect's target): an unresolvable name counts only
    // when it is the endpoint's own (attributed to it).
    return !(e instanceof ConnectException
        || e instanceof NoRouteToHostException
        || e instanceof UnaddressableEndpointException);
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
    return AttemptRouting.deadlineReached(callTimeoutNanos, remainingNanos());
  }

  private IOException lastFailure() {
    return AttemptRouting.lastFailure(failures);
  }

  private long elapsedSince(long start) {
    return Math.max(0, policy.ticker().read() - start);
  }
}
