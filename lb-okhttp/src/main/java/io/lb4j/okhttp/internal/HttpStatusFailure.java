package io.lb4j.okhttp.internal;

import java.io.IOException;

/**
 * Stands for an attempt that ended in an HTTP status the interceptor treats as a failure: recorded
 * as the circuit breaker's error and attached (suppressed) to the exception a call finally throws,
 * so that every attempt is listed. Carries no stack trace: the status is the whole story.
 */
public final class HttpStatusFailure extends IOException {
  private final int code;

  public HttpStatusFailure(int code, String endpointId, int attempt) {
    super("HTTP " + code + " from endpoint " + endpointId + " on attempt " + attempt);
    this.code = code;
  }

  public int code() {
    return code;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
