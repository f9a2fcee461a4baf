package io.lb4j.okhttp.internal;

import java.io.IOException;
import java.net.ProtocolException;

/**
 * Carries a failure that happened after an attempt's request may have been written. A
 * {@link ProtocolException}, because that is the type OkHttp's {@code retryOnConnectionFailure}
 * never recovers from: the load-balancing interceptor decides about a re-send, elsewhere, and
 * {@link #unwrap} hands it the original failure.
 */
public final class SentAttemptFailure extends ProtocolException {
  SentAttemptFailure(IOException cause) {
    super(cause.toString());
    initCause(cause);
  }

  /** The failure itself: {@code e}'s cause if {@code e} is a wrapper, else {@code e}. */
  public static IOException unwrap(IOException e) {
    if (!(e instanceof SentAttemptFailure)) {
      return e;
    }
    IOException cause = (IOException) e.getCause();
    for (Throwable suppressed : e.getSuppressed()) {
      cause.addSuppressed(suppressed);
    }
    return cause;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
