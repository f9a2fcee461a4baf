package io.lb4j.core.internal.hash;

import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.internal.select.SelectorSupport;
import java.util.Arrays;
import java.util.Comparator;

/** Key handling, id ordering and exclusion checks shared by the hash-based selectors. */
final class HashSupport {
  private HashSupport() {}

  /**
   * The key a hash selector's pick starts from: the context's hash key or, when it has none, a
   * random one drawn from the candidates' random source, so that a keyless pick through a hash
   * selector is a (weight-aware) random pick.
   *
   * @throws io.lb4j.core.NoEndpointAvailableException if there are no candidates
   */
  static long pickKey(Candidates candidates, PickContext context) {
    SelectorSupport.requireNonEmpty(candidates, context);
    if (context.hasHashKey()) {
      return context.hashKey();
    }
    return Xxh64.hashLong(Double.doubleToRawLongBits(candidates.random().nextDouble()));
  }

  /**
   * Candidate indexes sorted by endpoint id ({@link String#compareTo}, the same on every JVM), so
   * that structures built from them do not depend on the order endpoints were listed in.
   */
  static int[] indexesById(Candidates candidates) {
    Integer[] order = new Integer[candidates.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparing(i -> candidates.endpoint(i).id()));
    int[] result = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      result[i] = order[i];
    }
    return result;
  }

  /** Each candidate's position in id order, by candidate index: for order-free tie-breaks. */
  static int[] ranksById(Candidates candidates) {
    int[] byId = indexesById(candidates);
    int[] ranks = new int[byId.length];
    for (int rank = 0; rank < byId.length; rank++) {
      ranks[byId[rank]] = rank;
    }
    return ranks;
  }

  /** XXH64 of each candidate's id, by candidate index. */
  static long[] idHashes(Candidates candidates) {
    long[] hashes = new long[candidates.size()];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = Xxh64.hashUtf8(candidates.endpoint(i).id());
    }
    return hashes;
  }

  /**
   * The entry of {@code table} at {@code slot}, or, if the context excludes it, the first entry after
   * it (wrapping) that it does not exclude: the walk of a table-driven hash selector (modulo, Maglev)
   * whose table names every candidate at least once. O(1) without exclusions; allocation-free.
   *
   * @throws io.lb4j.core.NoEndpointAvailableException if every candidate is excluded
   */
  static int firstAllowedInTable(int[] table, int slot, Candidates candidates, PickContext context) {
    if (!SelectorSupport.isExcluded(context, candidates, table[slot])) {
      return table[slot];
    }
    requireSomeAllowed(candidates, context);
    for (int steps = table.length - 1; steps > 0; steps--) {
      slot = slot + 1 == table.length ? 0 : slot + 1;
      if (!context.isExcluded(candidates.endpoint(table[slot]))) {
        return table[slot];
      }
    }
    throw SelectorSupport.noneAvailable(candidates, context);
  }

  /**
   * Returns normally if some candidate is not excluded: O(1) unless at least as many endpoints are
   * excluded as there are candidates, then O(n × excluded). Walks that follow may then rely on
   * finding an allowed candidate.
   *
   * @throws io.lb4j.core.NoEndpointAvailableException if there is none
   */
  static void requireSomeAllowed(Candidates candidates, PickContext context) {
    SelectorSupport.requireNonEmpty(candidates, context);
    if (context.excludedCount() < candidates.size()) {
      return;
    }
    for (int i = 0; i < candidates.size(); i++) {
      if (!context.isExcluded(candidates.endpoint(i))) {
        return;
      }
    }
    throw SelectorSupport.noneAvailable(candidates, context);
  }
}
