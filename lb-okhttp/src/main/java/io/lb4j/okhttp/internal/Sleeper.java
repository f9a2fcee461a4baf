package io.lb4j.okhttp.internal;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;

/** Waits between attempts; injectable so that tests do not wait. */
@FunctionalInterface
public interface Sleeper {
  /**
   * The real one: sleeps in slices of at most 10 ms, so that it returns within one slice of the
   * call's cancel (OkHttp offers no cancel callback to the interceptor); an interrupt becomes an
   * {@link InterruptedIOException}.
   */
  Sleeper SYSTEM = (nanos, call) -> {
    long slice = TimeUnit.MILLISECONDS.toNanos(10);
    long end = System.nanoTime() + nanos;
    try {
      for (long left = nanos; left > 0 && !call.isCanceled(); left = end - System.nanoTime()) {
        TimeUnit.NANOSECONDS.sleep(Math.min(left, slice));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted during retry backoff");
      interrupted.initCause(e);
      throw interrupted;
    }
  };

  /** Waits {@code nanos}, or less once {@code call} is canceled. */
  void sleep(long nanos, Call call) throws InterruptedIOException;
}
