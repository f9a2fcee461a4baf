package io.lb4j.core.internal.hash;

import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.internal.select.SelectorSupport;
import java.util.Arrays;

/**
 * A consistent-hash ring with virtual nodes, built once per snapshot: a sorted {@code long[]} of
 * points, a parallel {@code int[]} of the candidate owning each point, and for each point the next
 * point owned by a different candidate (so walks skip an owner's consecutive points at once).
 *
 * <p>Endpoint {@code i} gets {@code max(1, round(vnodesPerWeight × weight_i × scale))} points, where
 * {@code scale = min(1, MAX_POINTS / (vnodesPerWeight × total weight))} caps the ring near
 * {@link #MAX_POINTS} points (16 bytes each, plus at most 4 for the index). Point {@code j} of an endpoint is
 * {@code XXH64(LE64(XXH64(id)) ‖ LE64(j))}; points are ordered as signed longs, and a point drawn by
 * two endpoints (a 64-bit collision) belongs to the smaller id, so the ring depends only on the
 * ids and weights, never on list order. Immutable.
 *
 * <p>{@link #pointFor} goes through a {@link RingPointIndex} built with the ring: about two cache
 * misses instead of a binary search's ~log2(points) dependent ones, and exactly the same point. It
 * adds at most 4 bytes per point to the ring's 16 (160,000 points: 512 KiB, k = 17 bits).
 */
final class HashRing {
  /** Upper bound on ring points (about 20 MiB with the index), whatever the weights and vnode count. */
  static final int MAX_POINTS = 1 << 20;

  private final long[] points;
  private final int[] owners;
  private final int[] nextOwnerRun;
  private final RingPointIndex index;

  HashRing(Candidates candidates, int vnodesPerWeight) {
    int n = candidates.size();
    double scale = Math.min(1.0,
        MAX_POINTS / ((double) vnodesPerWeight * Math.max(1, candidates.totalWeight())));
    int[] counts = new int[n];
    int total = 0;
    for (int i = 0; i < n; i++) {
      counts[i] = (int) Math.max(1, Math.round(vnodesPerWeight * (double) candidates.weight(i) * scale));
      total += counts[i];
    }
    long[] idHashes = HashSupport.idHashes(candidates);
    points = new long[total];
    owners = new int[total];
    int k = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < counts[i]; j++, k++) {
        points[k] = Xxh64.hashLongs(idHashes[i], j);
        owners[k] = i;
      }
    }
    sortByPointThenId(HashSupport.ranksById(candidates));
    nextOwnerRun = nextOwnerRuns(owners);
    index = new RingPointIndex(points);
  }

  /** How many points the ring has. */
  int size() {
    return points.length;
  }

  /** The first point at or after {@code hash}, wrapping past the largest to the first. */
  int pointFor(long hash) {
    int point = index.firstAtOrAfter(hash);
    return point == points.length ? 0 : point;
  }

  /** The hash value of {@code point}. */
  long hashOf(int point) {
    return points[point];
  }

  /** The candidate index owning {@code point}. */
  int owner(int point) {
    return owners[point];
  }

  /** The next point clockwise owned by another candidate; {@code point} itself if there is none. */
  int nextOwnerRun(int point) {
    return nextOwnerRun[point];
  }

  /**
   * The owner of the first point from {@code point} clockwise whose owner the context does not
   * exclude. O(1) without exclusions; otherwise a walk over owner runs, at most once round the ring.
   *
   * @throws io.lb4j.core.NoEndpointAvailableException if every candidate is excluded
   */
  int firstAllowedOwnerFrom(int point, Candidates candidates, PickContext context) {
    if (!SelectorSupport.isExcluded(context, candidates, owners[point])) {
      return owners[point];
    }
    HashSupport.requireSomeAllowed(candidates, context);
    for (int steps = points.length; steps > 0; steps--) {
      point = nextOwnerRun[point];
      if (!context.isExcluded(candidates.endpoint(owners[point]))) {
        return owners[point];
      }
    }
    throw SelectorSupport.noneAvailable(candidates, context);
  }

  private static int[] nextOwnerRuns(int[] owners) {
    int len = owners.length;
    int[] next = new int[len];
    Arrays.fill(next, -1);
    // Two passes backwards round the ring settle the wrap-around.
    for (int t = 2 * len - 1; t >= 0; t--) {
      int p = t % len;
      int q = p + 1 == len ? 0 : p + 1;
      if (owners[q] != owners[p]) {
        next[p] = q;
      } else if (next[q] >= 0) {
        next[p] = next[q];
      }
    }
    for (int p = 0; p < len; p++) {
      if (next[p] < 0) {
        next[p] = p;
      }
    }
    return next;
  }

  /**
   * Sorts the points and re-attaches each to its owner; a point drawn by several endpoints (a 64-bit
   * collision) goes to the one with the smallest id, so the result never depends on list order.
   * Sorting the bare {@code long[]} and looking owners up in an open-addressing table is several
   * times faster than sorting the pairs.
   */
  private void sortByPointThenId(int[] rankById) {
    int capacity = Integer.highestOneBit(Math.max(2, points.length) * 2 - 1) << 1;
    int mask = capacity - 1;
    long[] keys = new long[capacity];
    int[] values = new int[capacity];
    Arrays.fill(values, -1);
    for (int k = 0; k < points.length; k++) {
      int slot = slotOf(points[k], keys, values, mask);
      if (values[slot] < 0 || rankById[owners[k]] < rankById[values[slot]]) {
        keys[slot] = points[k];
        values[slot] = owners[k];
      }
    }
    Arrays.sort(points);
    for (int k = 0; k < points.length; k++) {
      owners[k] = values[slotOf(points[k], keys, values, mask)];
    }
  }

  /** The slot holding {@code point}, or the empty slot where it belongs (linear probing). */
  private static int slotOf(long point, long[] keys, int[] values, int mask) {
    int slot = (int) (point ^ (point >>> 32)) & mask;
    while (values[slot] >= 0 && keys[slot] != point) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }
}
