package io.lb4j.okhttp.internal;

import io.github.resilience4j.core.IntervalFunction;
import io.lb4j.core.Ticker;
import io.lb4j.okhttp.Idempotent;
import java.time.Clock;
import java.util.Set;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The validated retry settings shared by every service of one interceptor. Immutable.
 *
 * @param maxAttempts attempts per call, first one included; at least 1
 * @param retryableStatuses statuses worth another endpoint (after an idempotent request only)
 * @param backoff delay in milliseconds before retry {@code n} (1 for the first retry)
 * @param retryAfterCapNanos the longest {@code Retry-After} honoured
 * @param perTryTimeoutNanos the cap on each attempt's connect, read and write timeouts; 0 for none
 * @param bodyBufferLimit the largest body of an idempotent call read in full before it is
 *     returned, so that a truncated one can be retried; 0 turns buffering off
 * @param sleeper waits out the delays
 * @param ticker measures attempts, budgets and timeouts
 * @param clock reads HTTP dates in {@code Retry-After}
 */
public record RetryPolicy(
    int maxAttempts,
    Set<Integer> retryableStatuses,
    IntervalFunction backoff,
    long retryAfterCapNanos,
    long perTryTimeoutNanos,
    long bodyBufferLimit,
    Sleeper sleeper,
    Ticker ticker,
    Clock clock) {

  private static final Set<String> IDEMPOTENT_METHODS =
      Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

  /**
   * Whether {@code request} may be sent again after it may have reached a server: its method is
   * idempotent or it is tagged so, and its body (if any) can be written twice.
   */
  public boolean mayResendAfterSent(Request request) {
    RequestBody body = request.body();
    if (body != null && body.isOneShot()) {
      return false;
    }
    return IDEMPOTENT_METHODS.contains(request.method()) || Idempotent.isMarked(request);
  }

  /**
   * Whether {@code response}'s status asks for another endpoint: a configured status, or 429 with a
   * {@code Retry-After} (the server named when to come back; another instance may take it now).
   */
  public boolean isRetryableStatus(Response response) {
    int code = response.code();
    return retryableStatuses.contains(code) || (code == 429 && response.header("Retry-After") != null);
  }

  /** The wait before retry {@code retry} (1-based), honouring {@code Retry-After} up to the cap. */
  public long delayNanos(int retry, Response response) {
    long delay = backoff.apply(retry) * 1_000_000L;
    if (response != null) {
      long asked = RetryAfter.delayNanos(response.header("Retry-After"), clock);
      if (asked > 0) {
        delay = Math.max(delay, Math.min(asked, retryAfterCapNanos));
      }
    }
    return delay;
  }
}
