package io.lb4j.examples;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Simulated time for the algorithm lab: a {@link Ticker} that only moves when the simulation moves
 * it. The same clock drives the simulation's events and the {@code LoadBalancer}'s stats, so
 * latency EWMAs decay with simulated, not real, time. Not thread-safe: one simulation, one thread.
 */
final class VirtualClock implements Ticker {
  private long nanos;

  @Override
  public long read() {
    return nanos;
  }

  /**
   * Moves the clock to {@code nanos}.
   *
   * @throws IllegalArgumentException if that is before the current time
   */
  void advanceTo(long nanos) {
    if (nanos < this.nanos) {
      throw new IllegalArgumentException(
          "time must not go backwards: now " + this.nanos + " ns, asked for " + nanos + " ns");
    }
    this.nanos = nanos;
  }
}
