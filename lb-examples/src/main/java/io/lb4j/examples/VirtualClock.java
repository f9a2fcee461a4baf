package io.lb4j.examples;

import io.lb4j.core.Ticker;

/**
 * Simulated time for the algorithm lab: a {@link Ticker} that only moves when the simulation moves
 * it. The same clock drives the simulation's events and the {@code LoadBalancer}'s stats, so
 * latency EWMAs decay with simulated, not real, time. Not thread-safe: one simulation, one thread.
 */
final class VirtualClock implements Ticker {
  private long nanos;
  private long periodNanos;
  private long nextPeriodNanos = Long.MAX_VALUE;
  private Runnable onPeriod;

  /**
   * Runs {@code task} at every multiple of {@code periodNanos} the clock passes, with the clock set
   * to that moment: a periodic timer in simulated time.
   */
  void onEachPeriod(long periodNanos, Runnable task) {
    if (periodNanos <= 0) {
      throw new IllegalArgumentException("periodNanos must be > 0, was " + periodNanos);
    }
    this.periodNanos = periodNanos;
    this.onPeriod = task;
    this.nextPeriodNanos = (nanos / periodNanos + 1) * periodNanos;
  }

  @Override
  public long read() {
    return nanos;
  }

  /**
   * Moves the clock to {@code nanos}, running the periodic task at each period boundary on the way.
   *
   * @throws IllegalArgumentException if that is before the current time
   */
  void advanceTo(long nanos) {
    if (nanos < this.nanos) {
      throw new IllegalArgumentException(
          "time must not go backwards: now " + this.nanos + " ns, asked for " + nanos + " ns");
    }
    while (nextPeriodNanos <= nanos) {
      this.nanos = nextPeriodNanos;
      nextPeriodNanos += periodNanos;
      onPeriod.run();
    }
    this.nanos = nanos;
  }
}
