package io.lb4j.okhttp.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.NoEndpointAvailableException;
import io.lb4j.core.Pick;
import io.lb4j.core.PickContext;
import io.lb4j.okhttp.CallListener.AttemptKind;
import io.lb4j.okhttp.CallListener.Outcome;
import io.lb4j.okhttp.CallListener.RetryDecision;
import io.lb4j.okhttp.internal.RequestSentMarker.Attempt;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.Interceptor.Chain;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one call of one service: pick, send, record, and retry elsewhere while it is safe, allowed
 * and budgeted. One instance per call, used by the call's thread only.
 *
 * <p>An attempt ends when its response headers arrive (or its exception is thrown): that is when
 * the pick is completed and the breaker records the outcome. An attempt that never put the endpoint
 * to the test (its breaker refused it, the caller canceled the call, a bug below us threw) gives
 * its pick back with {@link Pick#cancel()} and its permission back to the breaker: neither counts
 * it. Failures while reading the body happen in the caller's hands, after the interceptor
 * returned, and are not attributed.
 */
public final class CallRouter {
  private static final Logger log = LoggerFactory.getLogger(CallRouter.class);
  /** Logs {@link io.lb4j.core.LoadBalancer#explain} before each pick at DEBUG; off by default. */
  private static final Logger pickTrace = LoggerFactory.getLogger("io.lb4j.okhttp.PickTrace");

  private final Chain chain;
  private final ServiceRoute route;
  private final RetryPolicy policy;
  private final boolean sendsTracked;
  private final boolean preserveHost;
  private final List<IOException> failures = new ArrayList<>();
  private final long callStart;

  public CallRouter(Chain chain, ServiceRoute route, RetryPolicy policy, boolean sendsTracked,
      boolean preserveHost) {
    this.chain = chain;
    this.route = route;
    this.policy = policy;
    this.sendsTracked = sendsTracked;
    this.preserveHost = preserveHost;
    this.callStart = policy.ticker().read();
  }

  public Response proceed() throws IOException {
    Request request = chain.request();
    PickContext context = route.contextFor(request);
    boolean mayResend = policy.mayResendAfterSent(request);
    route.budget().deposit();
    Response previous = null;
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
          throw new IOException("service '" + route.name() + "': no endpoint can take the call: "
              + e.getMessage(), e);
        }
        throw lastFailure();
      }
      if (previous != null) {
        previous.close(); // frees the connection for the next attempt; OkHttp insists
        previous = null;
      }
      Endpoint endpoint = pick.endpoint();
      context.exclude(endpoint);
      Attempt marker = new Attempt();
      long start = policy.ticker().read();
      Response response;
      try {
        response = attemptChain(attempt).proceed(routed(request, endpoint, marker));
      } catch (IOException e) {
        boolean canceled = chain.call().isCanceled();
        recordFailure(pick, breaker, attempt, elapsedSince(start), e, canceled);
        failures.add(e);
        // The caller canceled (or the call timeout fired): nobody wants another attempt.
        if (canceled) {
          throw lastFailure();
        }
        // The request may have reached the server, and sending it twice could do harm.
        if (!mayResend && mayHaveBeenSent(marker, e)) {
          throw lastFailure();
        }
        if (!mayRetry(attempt, context, null)) {
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
      HttpStatusFailure status = response.code() >= 500 || retryable
          ? new HttpStatusFailure(response.code(), endpoint.id(), attempt) : null;
      recordResponse(pick, breaker, attempt, elapsedSince(start), response.code(), status);
      // A status that another endpoint would not change.
      if (!retryable) {
        return response;
      }
      // The server saw the request; only an idempotent one may go again.
      if (!mayResend) {
        return response;
      }
      failures.add(status);
      try {
        if (!mayRetry(attempt, context, response)) {
          return response;
        }
      } catch (IOException interrupted) {
        response.close();
        failures.add(interrupted);
        throw lastFailure();
      }
      previous = response; // closed once the next endpoint is known, returned if there is none
    }
  }

  private void recordFailure(Pick pick, CircuitBreaker breaker, int attempt, long elapsed,
      IOException e, boolean canceled) {
    if (canceled) {
      // The caller gave up (or its call timeout fired): that says nothing about the endpoint.
      breaker.releasePermission();
      pick.cancel();
    } else {
      breaker.onError(elapsed, TimeUnit.NANOSECONDS, e);
      pick.complete(false, elapsed);
    }
    route.listener().attemptEnded(route.name(), pick.endpoint(), kindOf(attempt),
        canceled ? Outcome.CANCELED : Outcome.IO_ERROR, elapsed);
    if (log.isDebugEnabled()) {
      log.debug("service '{}' attempt {} to {} failed after {} µs: {}",
          route.name(), attempt, pick.endpoint().id(), elapsed / 1000, e.toString());
    }
  }

  /** A 5xx counts against the endpoint; any other status, 429 included, is the endpoint working. */
  private void recordResponse(Pick pick, CircuitBreaker breaker, int attempt, long elapsed,
      int code, HttpStatusFailure status) {
    boolean serverError = code >= 500;
    if (serverError) {
      breaker.onError(elapsed, TimeUnit.NANOSECONDS, status);
    } else {
      breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
    }
    pick.complete(!serverError, elapsed);
    route.listener().attemptEnded(route.name(), pick.endpoint(), kindOf(attempt),
        Outcome.ofStatus(code), elapsed);
    if (log.isDebugEnabled()) {
      log.debug("service '{}' attempt {} to {}: HTTP {} in {} µs",
          route.name(), attempt, pick.endpoint().id(), code, elapsed / 1000);
    }
  }

  /**
   * Whether attempt {@code attempt + 1} may go, after waiting its backoff: attempts, an untried
   * endpoint and budget remain. Sleeps when it returns true.
   */
  private boolean mayRetry(int attempt, PickContext context, Response response) throws IOException {
    // The caller's patience, in attempts, is spent.
    if (attempt >= policy.maxAttempts()) {
      return decided(RetryDecision.ATTEMPTS_EXHAUSTED);
    }
    // Every eligible endpoint was tried: waiting and spending budget would buy nothing.
    if (!hasUntried(context)) {
      return decided(RetryDecision.NO_ENDPOINT_LEFT);
    }
    // The service is already receiving as many retries as it is allowed; more would pile on.
    if (!route.budget().tryWithdraw()) {
      if (route.budgetWarnings().tryAcquire()) {
        log.warn("service '{}': retry budget exhausted, failures go back to callers without retry "
            + "(logged at most every 10 s)", route.name());
      }
      return decided(RetryDecision.BUDGET_EXHAUSTED);
    }
    decided(RetryDecision.RETRIED);
    long delay = policy.delayNanos(attempt, response);
    if (delay > 0) {
      policy.sleeper().sleep(delay);
    }
    return true;
  }

  /** Tells the listener; true when {@code decision} lets the retry go. */
  private boolean decided(RetryDecision decision) {
    route.listener().retryDecided(route.name(), decision);
    return decision == RetryDecision.RETRIED;
  }

  private static AttemptKind kindOf(int attempt) {
    return attempt == 1 ? AttemptKind.FIRST : AttemptKind.RETRY;
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
      if (pickTrace.isDebugEnabled()) {
        pickTrace.debug("service '{}' attempt {}: {}", route.name(), context.attempt(),
            route.balancer().explain(context));
      }
      Pick pick = route.balancer().pick(context);
      if (route.breakers().of(pick.endpoint()).tryAcquirePermission()) {
        return pick;
      }
      // Open, or half-open with its probe calls taken: the endpoint was never tried.
      pick.cancel();
      context.exclude(pick.endpoint());
      log.debug("service '{}': breaker of {} denied the attempt, picking another",
          route.name(), pick.endpoint().id());
    }
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
   * With a call timeout, each attempt gets at most an even share of the time left, so that a hung
   * first attempt leaves room for the others; the client's own connect/read timeouts still apply
   * when shorter. Without one, the client's timeouts apply to each attempt as they are.
   */
  private Chain attemptChain(int attempt) {
    long callTimeoutNanos = chain.call().timeout().timeoutNanos();
    if (callTimeoutNanos == 0) {
      return chain;
    }
    long left = Math.max(0, callTimeoutNanos - elapsedSince(callStart));
    int share = (int) Math.max(1, Math.min(Integer.MAX_VALUE,
        TimeUnit.NANOSECONDS.toMillis(left / (policy.maxAttempts() - attempt + 1))));
    Chain limited = chain;
    if (chain.connectTimeoutMillis() == 0 || share < chain.connectTimeoutMillis()) {
      limited = limited.withConnectTimeout(share, TimeUnit.MILLISECONDS);
    }
    if (chain.readTimeoutMillis() == 0 || share < chain.readTimeoutMillis()) {
      limited = limited.withReadTimeout(share, TimeUnit.MILLISECONDS);
    }
    return limited;
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
