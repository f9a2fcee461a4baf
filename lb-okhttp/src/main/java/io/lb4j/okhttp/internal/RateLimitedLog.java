package io.lb4j.okhttp.internal;

import io.lb4j.core.Ticker;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one message through per interval, so that a WARN about a dry budget or an open breaker
 * cannot flood the log while the condition lasts. Lock-free: one CAS on the last permit time.
 */
public final class RateLimitedLog {
  private final long intervalNanos;
  private final Ticker ticker;
  private final AtomicLong last;

  public RateLimitedLog(long intervalNanos, Ticker ticker) {
    this.intervalNanos = intervalNanos;
    this.ticker = ticker;
    this.last = new AtomicLong(ticker.read() - intervalNanos);
  }

  /** Whether the caller may log now; true at most once per interval. */
  public boolean tryAcquire() {
    long now = ticker.read();
    long previous = last.get();
    return now - previous >= intervalNanos && last.compareAndSet(previous, now);
  }
}
