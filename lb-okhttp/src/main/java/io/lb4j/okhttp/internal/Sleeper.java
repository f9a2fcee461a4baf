package io.lb4j.okhttp.internal;

import java.io.InterruptedIOException;

/** Waits between attempts; injectable so that tests do not wait. */
@FunctionalInterface
public interface Sleeper {
  /** The real one: {@link Thread#sleep}, turning an interrupt into an {@link InterruptedIOException}. */
  Sleeper SYSTEM = nanos -> {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted during retry backoff");
      interrupted.initCause(e);
      throw interrupted;
    }
  };

  void sleep(long nanos) throws InterruptedIOException;
}
