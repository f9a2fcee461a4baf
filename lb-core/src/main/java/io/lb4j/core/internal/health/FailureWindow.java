package io.lb4j.core.internal.health;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Requests and failures of one endpoint over a sliding time window: a ring of time buckets.
 *
 * <p>Concurrency design: each bucket is one {@code long} packing the bucket's epoch (24 bits of
 * {@code time / bucketNanos}), its request count and its failure count (20 bits each). Recording is
 * one CAS loop on one bucket: when the bucket still holds an older epoch, the CAS replaces it with
 * the new epoch and a count of one, so a rollover can never lose or double a count. Reading sums
 * the buckets whose epoch lies within the window, ignoring stale ones. Lock-free, allocation-free.
 *
 * <p>Counts saturate at {@value #MAX_COUNT} requests per bucket (further outcomes in that bucket
 * are dropped, keeping the ratio). Epochs wrap after 2^24 buckets (194 days with 1 s buckets); a
 * bucket left untouched for exactly that long would be read as current, which is accepted.
 */
public final class FailureWindow {
  static final int MAX_COUNT = (1 << 20) - 1;
  private static final int COUNT_BITS = 20;
  private static final int EPOCH_SHIFT = 2 * COUNT_BITS;
  private static final long EPOCH_MASK = (1L << 24) - 1;

  private final AtomicLongArray buckets;
  private final long bucketNanos;

  /**
   * @param bucketCount number of buckets, at least 1
   * @param bucketNanos width of one bucket, at least 1; the window is their product
   */
  public FailureWindow(int bucketCount, long bucketNanos) {
    if (bucketCount < 1) {
      throw new IllegalArgumentException("bucketCount must be >= 1, was " + bucketCount);
    }
    if (bucketNanos < 1) {
      throw new IllegalArgumentException("bucketNanos must be >= 1, was " + bucketNanos);
    }
    this.buckets = new AtomicLongArray(bucketCount);
    this.bucketNanos = bucketNanos;
  }

  /** Counts one outcome at time {@code nowNanos}. */
  public void record(long nowNanos, boolean failure) {
    long epoch = Math.floorDiv(nowNanos, bucketNanos);
    int slot = (int) Math.floorMod(epoch, (long) buckets.length());
    long tag = epoch & EPOCH_MASK;
    int failed = failure ? 1 : 0;
    for (;;) {
      long bucket = buckets.get(slot);
      long next;
      long bucketTag = bucket >>> EPOCH_SHIFT;
      if (bucketTag != tag) {
        if (requestsIn(bucket) != 0 && isNewer(bucketTag, tag)) {
          return; // a writer stalled past a full window: its outcome is too old to count
        }
        next = (tag << EPOCH_SHIFT) | (1L << COUNT_BITS) | failed;
      } else if (requestsIn(bucket) == MAX_COUNT) {
        return;
      } else {
        next = bucket + (1L << COUNT_BITS) + failed;
      }
      if (buckets.compareAndSet(slot, bucket, next)) {
        return;
      }
    }
  }

  /** Requests counted in the window ending at {@code nowNanos}. */
  public long requests(long nowNanos) {
    return sum(nowNanos, false);
  }

  /** Failures counted in the window ending at {@code nowNanos}. */
  public long failures(long nowNanos) {
    return sum(nowNanos, true);
  }

  /**
   * Whether, in the window ending at {@code nowNanos}, at least {@code minRequests} requests were
   * counted and at least {@code thresholdPercent}% of them failed.
   */
  public boolean failureRateReached(long nowNanos, int minRequests, int thresholdPercent) {
    long requests = requests(nowNanos);
    return requests >= minRequests && failures(nowNanos) * 100 >= thresholdPercent * requests;
  }

  /** Forgets every count (a zeroed bucket counts nothing whatever its epoch). */
  public void clear() {
    for (int i = 0; i < buckets.length(); i++) {
      buckets.set(i, 0L);
    }
  }

  private long sum(long nowNanos, boolean failuresOnly) {
    long epoch = Math.floorDiv(nowNanos, bucketNanos);
    int n = buckets.length();
    long total = 0;
    for (int k = 0; k < n; k++) {
      long e = epoch - k;
      long bucket = buckets.get((int) Math.floorMod(e, (long) n));
      if ((bucket >>> EPOCH_SHIFT) == (e & EPOCH_MASK)) {
        total += failuresOnly ? failuresIn(bucket) : requestsIn(bucket);
      }
    }
    return total;
  }

  /** Whether epoch tag {@code a} is later than {@code b}, modulo the 24-bit wrap. */
  private static boolean isNewer(long a, long b) {
    long distance = (a - b) & EPOCH_MASK;
    return distance != 0 && distance < (EPOCH_MASK >>> 1);
  }

  private static int requestsIn(long bucket) {
    return (int) ((bucket >>> COUNT_BITS) & MAX_COUNT);
  }

  private static int failuresIn(long bucket) {
    return (int) (bucket & MAX_COUNT);
  }
}
