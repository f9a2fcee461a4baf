package io.lb4j.okhttp.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The latest {@value #SIZE} attempt latencies of one service, and one percentile of them, for an
 * adaptive hedging delay. Recording is lock-free (one increment, one array write); every
 * {@value #RECOMPUTE_EVERY} records the recording thread sorts a copy and publishes the percentile
 * in a volatile field, so reading it costs one volatile read. Concurrent writers may overwrite one
 * another's slot: a lost sample among hundreds does not move a percentile.
 */
public final class RecentLatencies {
  static final int SIZE = 256;
  static final int RECOMPUTE_EVERY = 32;

  private final double percentile;
  private final AtomicLongArray samples = new AtomicLongArray(SIZE);
  private final AtomicLong recorded = new AtomicLong();
  private volatile long current;

  /** Tracks {@code percentile} (in (0, 100)) of recent latencies. */
  public RecentLatencies(double percentile) {
    this.percentile = percentile;
  }

  /** Adds one answered attempt's latency; republishes the percentile every 32nd call. */
  public void record(long latencyNanos) {
    long n = recorded.getAndIncrement();
    samples.set((int) (n % SIZE), latencyNanos);
    if ((n + 1) % RECOMPUTE_EVERY == 0) {
      current = compute((int) Math.min(n + 1, SIZE));
    }
  }

  /** The percentile as of the last recomputation; 0 before {@value #RECOMPUTE_EVERY} samples. */
  public long percentileNanos() {
    return current;
  }

  private long compute(int count) {
    long[] copy = new long[count];
    for (int i = 0; i < count; i++) {
      copy[i] = samples.get(i);
    }
    Arrays.sort(copy);
    int rank = (int) Math.ceil(percentile / 100 * count) - 1;
    return copy[Math.max(0, Math.min(count - 1, rank))];
  }
}
