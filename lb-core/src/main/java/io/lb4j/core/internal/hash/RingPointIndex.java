package io.lb4j.core.internal.hash;

/**
 * Finds the first of a sorted {@code long[]} of ring points at or after a hash in about two cache
 * misses instead of the ~log2(points) dependent misses of a plain binary search, with exactly the
 * same answer.
 *
 * <p>The signed 64-bit space is cut into {@code 2^k} equal buckets by the top {@code k} bits of
 * {@code hash ^ Long.MIN_VALUE} (flipping the sign bit makes the unsigned bucket number increase
 * with the signed order the points are sorted in), with {@code k = floor(log2(points))} clamped to
 * [1, {@value #MAX_BUCKET_BITS}], so a bucket holds 1–2 points on average. {@code bucketStart[b]} is
 * the index of the first point whose bucket is {@code ≥ b}; every point before it is below any hash
 * in bucket {@code b}, every point from {@code bucketStart[b + 1]} on is above it, so the answer lies
 * in {@code [bucketStart[b], bucketStart[b + 1]]}: a few points, scanned linearly, or binary-searched
 * if clustered points make the range long.
 *
 * <p>Memory: {@code (2^k + 1)} ints, at most {@code 4 × max(2, points) + 4} bytes beside the points (160,000
 * points: k = 17, 512 KiB). Build O(points + 2^k). Immutable; lookups allocate nothing.
 */
final class RingPointIndex {
  /** 2^20 buckets (4 MiB) at most: the ring itself is capped at {@link HashRing#MAX_POINTS}. */
  static final int MAX_BUCKET_BITS = 20;

  /** Ranges up to this long are scanned linearly: they fit a cache line or two. */
  private static final int LINEAR_SCAN_MAX = 8;

  private final long[] points;
  private final int[] bucketStart;
  private final int shift;

  /** Indexes {@code sortedPoints} (ascending as signed longs), which it shares and never changes. */
  RingPointIndex(long[] sortedPoints) {
    points = sortedPoints;
    int bits = Math.max(1, Math.min(MAX_BUCKET_BITS, 31 - Integer.numberOfLeadingZeros(points.length)));
    shift = Long.SIZE - bits;
    int buckets = 1 << bits;
    bucketStart = new int[buckets + 1];
    int point = 0;
    for (int b = 0; b <= buckets; b++) {
      while (point < points.length && bucketOf(points[point]) < b) {
        point++;
      }
      bucketStart[b] = point;
    }
  }

  /** The index of the first point {@code ≥ hash} (signed), or {@code points.length} if none is. */
  int firstAtOrAfter(long hash) {
    int b = bucketOf(hash);
    int lo = bucketStart[b];
    int hi = bucketStart[b + 1];
    while (hi - lo > LINEAR_SCAN_MAX) {
      int mid = (lo + hi) >>> 1;
      if (points[mid] < hash) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    while (lo < hi && points[lo] < hash) {
      lo++;
    }
    return lo;
  }

  /** How many buckets the index has (2^k). */
  int buckets() {
    return bucketStart.length - 1;
  }

  private int bucketOf(long value) {
    return (int) ((value ^ Long.MIN_VALUE) >>> shift);
  }
}
