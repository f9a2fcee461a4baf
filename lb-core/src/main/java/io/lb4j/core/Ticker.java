package io.lb4j.core;

/**
 * A source of nanosecond time for lb4j's clocks: latency estimates, ejection and slow-start
 * timers, retry budgets. Only differences between two readings carry meaning, as with {@link
 * System#nanoTime()}; tests pass a manual ticker to step time deterministically.
 *
 * <p>Implementations must be thread-safe and cheap: pickers read the ticker on the hot path.
 */
@FunctionalInterface
public interface Ticker {

  /** The current reading, in nanoseconds from an arbitrary origin. */
  long read();

  /** The ticker that reads {@link System#nanoTime()}. */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}

/** {@link System#nanoTime()} as a {@link Ticker}; a singleton so that it compares by identity. */
enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }
}
