package io.lb4j.okhttp.internal;

import io.lb4j.core.Ticker;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Caps retries at {@code ratio × calls + minRetriesPerSecond × window seconds} over a sliding
 * window, so that a struggling service sees at most a bounded amount of extra load from retries
 * (Finagle's RetryBudget and Envoy's retry budget; the floor keeps low-traffic clients able to
 * retry at all).
 *
 * <p>The window is ten buckets, each a tenth of the window long; a bucket is recycled when time
 * moves past it. Lock-free: every counter is an atomic. The check-then-withdraw in
 * {@link #tryWithdraw} is not one atomic step, so concurrent callers may overshoot the budget by at
 * most the number of threads racing on the same bucket; single-threaded use is exact. Time comes
 * from the injected ticker.
 */
public final class RetryBudget {
  private static final int BUCKETS = 10;

  private final double ratio;
  private final double floor;
  private final long bucketNanos;
  private final Ticker ticker;
  private final AtomicLongArray epochs = new AtomicLongArray(BUCKETS);
  private final AtomicLongArray calls = new AtomicLongArray(BUCKETS);
  private final AtomicLongArray retries = new AtomicLongArray(BUCKETS);

  public RetryBudget(double ratio, int minRetriesPerSecond, long windowNanos, Ticker ticker) {
    this.ratio = ratio;
    this.floor = minRetriesPerSecond * (windowNanos / 1e9);
    this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
    this.ticker = ticker;
    for (int i = 0; i < BUCKETS; i++) {
      epochs.set(i, Long.MIN_VALUE);
    }
  }

  /** Counts one call (a first attempt): it earns {@code ratio} retries. */
  public void deposit() {
    calls.incrementAndGet(current());
  }

  /** Takes one retry from the budget; false, taking nothing, if the budget is spent. */
  public boolean tryWithdraw() {
    int bucket = current();
    long epoch = epochs.get(bucket);
    long callSum = 0;
    long retrySum = 0;
    for (int i = 0; i < BUCKETS; i++) {
      // Buckets older than the window still hold stale counts until someone recycles them.
      if (epoch - epochs.get(i) < BUCKETS) {
        callSum += calls.get(i);
        retrySum += retries.get(i);
      }
    }
    if (retrySum + 1 > ratio * callSum + floor) {
      return false;
    }
    retries.incrementAndGet(bucket);
    return true;
  }

  /** Recycles the bucket for now if it belongs to an older epoch; returns its index. */
  private int current() {
    long epoch = Math.floorDiv(ticker.read(), bucketNanos);
    int bucket = (int) Math.floorMod(epoch, BUCKETS);
    long seen = epochs.get(bucket);
    if (seen != epoch && epochs.compareAndSet(bucket, seen, epoch)) {
      calls.set(bucket, 0);
      retries.set(bucket, 0);
    }
    return bucket;
  }

  @Override
  public String toString() {
    return "RetryBudget{ratio=" + ratio + ", floor=" + floor + "}";
  }
}
