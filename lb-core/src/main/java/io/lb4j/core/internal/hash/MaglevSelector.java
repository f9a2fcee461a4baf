package io.lb4j.core.internal.hash;

import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.internal.explain.Explainable;
import io.lb4j.core.internal.explain.Explanations;
import io.lb4j.core.internal.select.AbstractSelector;
import java.util.Arrays;

/**
 * Maglev hashing: choose it for key affinity with the most even spread and the cheapest pick, when
 * a little extra key movement on membership change is acceptable.
 *
 * <p>Guarantees: a lookup table of prime size {@code M} (default 65,537) is filled once per
 * snapshot; a key goes to {@code table[hash mod M]}. Each endpoint walks its own permutation of the
 * slots ({@code offset = XXH64(id) mod M}, {@code skip = XXH64(LE64(XXH64(id))) mod (M−1) + 1}) and
 * the endpoints take turns claiming their next free slot, in id order, so the table depends only on
 * ids and weights. Weighted Maglev: in each round an endpoint takes a turn with probability
 * proportional to its weight (credit {@code w_i} per round, a turn per {@code w_max} credit, and a
 * first turn for everyone), so slot shares follow weights to within about one slot per round. With
 * equal weights, shares differ by at most one slot ({@code max/mean ≈ 1 + n/M}). Removing one of n
 * endpoints moves more than the ideal {@code 1/n} of keys, because other endpoints' slots shift
 * too: measured with the default table, 1.03/n at n = 10, 1.08/n at 20, 1.55/n at 100 (the paper
 * reports the same trend as n/M grows). An excluded owner is passed over by walking to the next slots; without a hash
 * key, a random key is drawn ({@link Candidates#random()}).
 *
 * <p>Cost: pick O(1), one unsigned remainder and one array read, no allocation. Build O(M log M)
 * expected for equal weights (more rounds when weights are skewed: {@code M × w_max / W} rounds of
 * n); memory {@code 4 × M} bytes (256 KiB at the default). Requires {@code n ≤ M}; keep
 * {@code M ≥ 100 × n} for shares within about 1%.
 *
 * <p>Source: Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer" (NSDI
 * 2016), section 3.4; weighted population as in Envoy's Maglev load balancer.
 */
public final class MaglevSelector extends AbstractSelector implements Explainable {
  /** The paper's and Envoy's default: a prime well above 100 × a typical fleet. */
  public static final int DEFAULT_TABLE_SIZE = 65_537;
  /** Smallest table accepted. */
  public static final int MIN_TABLE_SIZE = 7;
  /** Largest table accepted: 2^26 slots are 256 MiB. */
  public static final int MAX_TABLE_SIZE = 1 << 26;

  private final int[] table;

  /**
   * @throws IllegalArgumentException if {@code tableSize} is not a prime in [7, 2^26], or is smaller
   *     than the number of candidates
   */
  public MaglevSelector(Candidates candidates, int tableSize) {
    super(candidates);
    checkTableSize(tableSize);
    if (tableSize < candidates.size()) {
      throw new IllegalArgumentException("tableSize must be >= the number of candidates ("
          + candidates.size() + "), was " + tableSize);
    }
    this.table = candidates.isEmpty() ? new int[0] : populate(candidates, tableSize);
  }

  /** Returns {@code tableSize} if it is a prime in [7, 2^26], else throws naming it. */
  public static int checkTableSize(int tableSize) {
    if (tableSize < MIN_TABLE_SIZE || tableSize > MAX_TABLE_SIZE) {
      throw new IllegalArgumentException("tableSize must be in [" + MIN_TABLE_SIZE + ", "
          + MAX_TABLE_SIZE + "], was " + tableSize);
    }
    for (int d = 2; (long) d * d <= tableSize; d++) {
      if (tableSize % d == 0) {
        throw new IllegalArgumentException(
            "tableSize must be prime, was " + tableSize + " (divisible by " + d + ")");
      }
    }
    return tableSize;
  }

  private static int[] populate(Candidates candidates, int size) {
    int n = candidates.size();
    int[] order = HashSupport.indexesById(candidates);
    long[] idHashes = HashSupport.idHashes(candidates);
    int[] position = new int[n];
    int[] skip = new int[n];
    long[] credit = new long[n];
    int maxWeight = 0;
    for (int i = 0; i < n; i++) {
      maxWeight = Math.max(maxWeight, candidates.weight(i));
    }
    for (int i = 0; i < n; i++) {
      position[i] = (int) Long.remainderUnsigned(idHashes[i], size);
      skip[i] = (int) Long.remainderUnsigned(Xxh64.hashLong(idHashes[i]), size - 1) + 1;
      credit[i] = maxWeight - candidates.weight(i);
    }
    int[] table = new int[size];
    Arrays.fill(table, -1);
    int filled = 0;
    while (true) {
      for (int r = 0; r < n; r++) {
        int i = order[r];
        credit[i] += candidates.weight(i);
        if (credit[i] < maxWeight) {
          continue;
        }
        credit[i] -= maxWeight;
        // Follow i's permutation (position, position + skip, ... mod size) to its next free slot.
        while (table[position[i]] >= 0) {
          position[i] = advance(position[i], skip[i], size);
        }
        table[position[i]] = i;
        position[i] = advance(position[i], skip[i], size);
        if (++filled == size) {
          return table;
        }
      }
    }
  }

  private static int advance(int position, int skip, int size) {
    int next = position + skip;
    return next >= size ? next - size : next;
  }

  @Override
  public int selectIndex(PickContext context) {
    int slot = (int) Long.remainderUnsigned(HashSupport.pickKey(candidates, context), table.length);
    return HashSupport.firstAllowedInTable(table, slot, candidates, context);
  }

  @Override
  public Decision explain(PickContext context) {
    return Explanations.byKey(this, context, "maglev", context.hasHashKey()
        ? "-> slot " + Long.remainderUnsigned(context.hashKey(), table.length) + " of " + table.length
        : "");
  }

  @Override
  public String toString() {
    return "MaglevSelector{M=" + table.length + "}" + candidates.endpoints();
  }
}
