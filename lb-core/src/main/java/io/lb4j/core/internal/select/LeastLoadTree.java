package io.lb4j.core.internal.select;

import io.lb4j.core.Candidates;
import io.lb4j.core.RandomSource;
import io.lb4j.core.internal.stats.InFlightObserver;
import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A tournament tree over the candidates' loads {@code (inFlight + 1) / weight}, kept current by the
 * threads that change in-flight counts, so that a pick finds a least-loaded candidate in
 * O(log n) reads instead of scanning n atomics.
 *
 * <p>Concurrency design: each node is one {@code long} packing the minimum load key of its subtree
 * and the number of leaves holding it. A thread that changes an in-flight count re-reads that
 * leaf's live count and walks to the root; at each node it loops "read node, combine the children,
 * compare-and-set" until it <em>observes</em> the node equal to the combination of its children
 * after its own write (a write that raced with others is re-checked, so an ABA-stale write is
 * corrected by its own writer). If it finds a node already consistent without writing, it stops:
 * whoever wrote that value walks on. Hence, once changes stop, every node equals the combination of
 * its children and the root names the exact minimum and the exact number of minima; while changes
 * are in flight a pick may act on a view a few updates old, as a scan over changing atomics does.
 * No lock anywhere, no allocation after construction.
 *
 * <p>Keys are exact: with equal weights the key is {@code inFlight + 1}; otherwise
 * {@code floor((inFlight + 1) × W² / weight)} with W the largest weight, which preserves the order
 * and the ties of the rational loads (distinct loads differ by at least 1/W², so by at least 1
 * after scaling). Keys that do not fit the 43 bits left beside the count saturate; a root that is
 * saturated makes {@link LeastConnectionsSelector} fall back to its scan, so the answer stays exact.
 *
 * <p>Layout: a 4-ary heap without padding, about 4n/3 longs, plus one 24-byte observer per
 * candidate. An in-flight change walks ⌈log4 n⌉ levels; a pick reads up to 4 nodes per level.
 */
final class LeastLoadTree {
  /** Bits for the count of minima; bounds the candidates to {@link #MAX_LEAVES}. */
  private static final int COUNT_BITS = 21;
  /** The most candidates a tree holds: counts of minima must fit {@link #COUNT_BITS}. */
  static final int MAX_LEAVES = 1 << 20;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
  private static final long EMPTY_KEY = (1L << (Long.SIZE - COUNT_BITS)) - 1;
  private static final long SATURATED_KEY = EMPTY_KEY - 1;
  private static final long EMPTY = EMPTY_KEY << COUNT_BITS;
  private static final VarHandle NODES = MethodHandles.arrayElementVarHandle(long[].class);
  /**
   * Children per inner node. Each in-flight change compare-and-sets one node per level, so a wider
   * node means fewer of them (log4 n instead of log2 n), while a pick still reads about as many
   * nodes (up to 4 per level, half as many levels).
   */
  private static final int FANOUT = 4;

  // A heap-ordered 4-ary tree without padding: node p has children 4p+1..4p+4 (those below size);
  // nodes below `inner` have children, the n leaves follow them in candidate order.
  private final long[] nodes;
  private final int inner;
  private final LiveEndpointStats[] stats;
  private final int[] weights;
  private final long scale;
  private final Leaf[] leaves;
  private volatile boolean replaced;

  LeastLoadTree(Candidates candidates) {
    int n = checkSize(candidates.size());
    this.inner = n <= 1 ? 0 : (n - 2) / (FANOUT - 1) + 1;
    this.nodes = new long[Math.max(1, inner + n)];
    this.stats = new LiveEndpointStats[n];
    this.weights = new int[n];
    this.leaves = new Leaf[n];
    int maxWeight = 1;
    for (int i = 0; i < n; i++) {
      stats[i] = LiveEndpointStats.of(candidates.stats(i));
      weights[i] = candidates.weight(i);
      maxWeight = Math.max(maxWeight, weights[i]);
      leaves[i] = new Leaf(this, i);
    }
    this.scale = candidates.hasUniformWeights() ? 0 : (long) maxWeight * maxWeight;
    nodes[0] = EMPTY; // the root stays empty only when there is no candidate
    for (int i = 0; i < n; i++) {
      nodes[inner + i] = leafValue(i);
    }
    for (int node = inner - 1; node >= 0; node--) {
      nodes[node] = combineChildren(node);
    }
    // Published by the volatile write in observeInFlight: observers never see a half-built tree.
    for (Leaf leaf : leaves) {
      InFlightObserver previous = stats[leaf.index].observeInFlight(leaf);
      if (previous != null) {
        previous.replaced();
      }
    }
    // Counts that moved between the first read and the registration are read again here.
    for (int i = 0; i < n; i++) {
      settle(inner + i);
    }
    for (int node = inner - 1; node >= 0; node--) {
      settle(node);
    }
  }

  /**
   * Returns {@code candidates} if a tree can hold that many.
   *
   * @throws IllegalArgumentException if {@code candidates} exceeds {@link #MAX_LEAVES}
   */
  static int checkSize(int candidates) {
    if (candidates > MAX_LEAVES) {
      throw new IllegalArgumentException("least connections supports at most " + MAX_LEAVES
          + " candidates (its index packs the count of minima in 21 bits), was " + candidates);
    }
    return candidates;
  }

  /**
   * Whether another tree took over some of these stats (or two candidates share one stats
   * object): the index no longer follows every in-flight change and must not be trusted.
   */
  boolean isReplaced() {
    return replaced;
  }

  /**
   * A uniformly random leaf among those of least key, or -1 when the root's key is saturated (every
   * candidate's key overflowed) or there is no candidate, and only a scan can tell. One random draw
   * at most.
   */
  int pick(RandomSource random) {
    long root = (long) NODES.getVolatile(nodes, 0);
    long target = root >>> COUNT_BITS;
    if (target >= SATURATED_KEY) {
      return -1;
    }
    int count = (int) (root & COUNT_MASK);
    int rank = count > 1 ? random.nextInt(count) : 0;
    int node = 0;
    while (node < inner) {
      int first = node * FANOUT + 1;
      int end = Math.min(first + FANOUT, nodes.length);
      int chosen = -1;
      // The rank-th minimum, counted from the left.
      for (int child = first; child < end; child++) {
        long value = (long) NODES.getVolatile(nodes, child);
        if (value >>> COUNT_BITS == target) {
          int ties = (int) (value & COUNT_MASK);
          if (rank < ties) {
            chosen = child;
            break;
          }
          rank -= ties;
        }
      }
      if (chosen < 0) {
        // A change raced with this pick: go on below the least child as it is now.
        chosen = leastChild(first, end);
        target = (long) NODES.getVolatile(nodes, chosen) >>> COUNT_BITS;
        rank = 0;
      }
      node = chosen;
    }
    return node - inner;
  }

  private int leastChild(int first, int end) {
    int least = first;
    long leastKey = Long.MAX_VALUE;
    for (int child = first; child < end; child++) {
      long key = (long) NODES.getVolatile(nodes, child) >>> COUNT_BITS;
      if (key < leastKey) {
        least = child;
        leastKey = key;
      }
    }
    return least;
  }

  private void refresh(int index) {
    if (!settle(inner + index) || inner == 0) {
      return;
    }
    for (int node = (inner + index - 1) / FANOUT; node >= 0; node = (node - 1) / FANOUT) {
      if (!settle(node) || node == 0) {
        return;
      }
    }
  }

  /**
   * Makes {@code node} equal to what it stands for now: a leaf its candidate's live load, an inner
   * node the combination of its children. True if this call wrote it.
   */
  private boolean settle(int node) {
    boolean wrote = false;
    while (true) {
      long current = (long) NODES.getVolatile(nodes, node);
      long fresh = node < inner ? combineChildren(node) : leafValue(node - inner);
      if (current == fresh) {
        return wrote;
      }
      wrote |= NODES.compareAndSet(nodes, node, current, fresh);
    }
  }

  private long combineChildren(int node) {
    int first = node * FANOUT + 1;
    int end = Math.min(first + FANOUT, nodes.length);
    long combined = (long) NODES.getVolatile(nodes, first);
    for (int child = first + 1; child < end; child++) {
      combined = combine(combined, (long) NODES.getVolatile(nodes, child));
    }
    return combined;
  }

  private long leafValue(int index) {
    long load = stats[index].inFlight() + 1L;
    // inFlight < 2^31 and scale <= MAX_WEIGHT^2 < 2^27: the product cannot overflow.
    long key = scale == 0 ? load : load * scale / weights[index];
    return Math.min(key, SATURATED_KEY) << COUNT_BITS | 1;
  }

  private static long combine(long a, long b) {
    long aKey = a >>> COUNT_BITS;
    long bKey = b >>> COUNT_BITS;
    if (aKey != bKey) {
      return aKey < bKey ? a : b;
    }
    return a + (b & COUNT_MASK);
  }

  private void retire() {
    if (!replaced) {
      replaced = true;
      for (int i = 0; i < leaves.length; i++) {
        stats[i].stopObserving(leaves[i]);
      }
    }
  }

  private static final class Leaf implements InFlightObserver {
    private final LeastLoadTree tree;
    private final int index;

    Leaf(LeastLoadTree tree, int index) {
      this.tree = tree;
      this.index = index;
    }

    @Override
    public void inFlightChanged() {
      tree.refresh(index);
    }

    @Override
    public void replaced() {
      tree.retire();
    }
  }
}
