package io.lb4j.core.internal.select;

/**
 * Builds one full cycle of nginx's smooth weighted round robin without its O(n) scan per step.
 *
 * <p>nginx, at step t, adds every weight to its credit, picks the largest credit (the lowest index
 * on ties) and takes the total W off it. The credit of endpoint i before step t's pick is therefore
 * the line {@code t × w_i − W × k_i} in t, where k_i counts its earlier picks; a pick lowers only
 * the picked endpoint's line. Finding the highest line at each step is a kinetic tournament: a tree
 * over the endpoints whose nodes hold the winner of their subtree and the first step at which that
 * winner can change (when a steeper line overtakes it). A step replays only the nodes whose time
 * has come plus the path of the picked leaf, so a cycle of W steps costs about
 * O(W log n) instead of O(W × n). Ties go to the left subtree, which keeps nginx's lowest-index rule.
 *
 * <p>Source of the data structure: Basch, Guibas, Hershberger, "Data structures for mobile data",
 * SODA 1997 (kinetic tournaments).
 */
final class SmoothWeightedCycle {
  private static final long NEVER = Long.MAX_VALUE;

  private final int[] weights;
  private final long total;
  private final long[] picks;
  private final int leaves;
  private final int[] winner;
  private final long[] changesAt;
  private long step;

  private SmoothWeightedCycle(int[] weights, long total) {
    this.weights = weights;
    this.total = total;
    this.picks = new long[weights.length];
    int size = 1;
    while (size < weights.length) {
      size <<= 1;
    }
    this.leaves = size;
    this.winner = new int[2 * size];
    this.changesAt = new long[2 * size];
  }

  /**
   * The sequence of endpoint indexes nginx picks during {@code sum(weights)} steps, starting from
   * zero credits: each index appears exactly its weight's number of times.
   *
   * @param weights at least one, each at least 1, summing to at most {@code Integer.MAX_VALUE}
   */
  static int[] of(int[] weights) {
    long total = 0;
    for (int weight : weights) {
      total += weight;
    }
    return new SmoothWeightedCycle(weights, total).run();
  }

  private int[] run() {
    int[] cycle = new int[(int) total];
    step = 1;
    for (int node = leaves; node < 2 * leaves; node++) {
      int index = node - leaves;
      winner[node] = index < weights.length ? index : -1;
      changesAt[node] = NEVER;
    }
    for (int node = leaves - 1; node >= 1; node--) {
      recompute(node);
    }
    for (int s = 0; s < cycle.length; s++) {
      step = s + 1L;
      catchUp(1);
      int picked = winner[1];
      cycle[s] = picked;
      picks[picked]++;
      for (int node = (leaves + picked) >>> 1; node >= 1; node >>>= 1) {
        recompute(node);
      }
    }
    return cycle;
  }

  private void catchUp(int node) {
    if (changesAt[node] > step) {
      return;
    }
    catchUp(2 * node);
    catchUp(2 * node + 1);
    recompute(node);
  }

  private long credit(int index) {
    return step * weights[index] - total * picks[index];
  }

  private void recompute(int node) {
    int left = winner[2 * node];
    int right = winner[2 * node + 1];
    long changes = Math.min(changesAt[2 * node], changesAt[2 * node + 1]);
    int best;
    if (right < 0) {
      best = left;
    } else if (left < 0) {
      best = right;
    } else if (credit(right) > credit(left)) {
      best = right;
      int steeper = weights[left] - weights[right];
      if (steeper > 0) {
        // left wins again from the first t with t × steeper >= W × (k_left − k_right).
        long gap = total * (picks[left] - picks[right]);
        changes = Math.min(changes, -Math.floorDiv(-gap, steeper));
      }
    } else {
      best = left;
      int steeper = weights[right] - weights[left];
      if (steeper > 0) {
        // right overtakes from the first t with t × steeper > W × (k_right − k_left).
        long gap = total * (picks[right] - picks[left]);
        changes = Math.min(changes, Math.floorDiv(gap, steeper) + 1);
      }
    }
    winner[node] = best;
    changesAt[node] = changes;
  }
}
