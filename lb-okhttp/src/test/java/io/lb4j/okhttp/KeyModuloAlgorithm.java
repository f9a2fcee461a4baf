package io.lb4j.okhttp;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import io.lb4j.core.internal.SelectorSupport;
import io.lb4j.okhttp.internal.KeyHash;

/**
 * TEST-ONLY stand-in for lb-core's hash and sticky algorithms, which are not on this branch:
 * {@code hash(session id) mod n} when the pick has a session, else {@code hash key mod n}, else
 * the first allowed candidate. Enough to check that the interceptor feeds keys and sessions; the
 * lead swaps it for {@code Algorithms.sticky(...)} / a hash algorithm after merging.
 */
final class KeyModuloAlgorithm implements Algorithm {

  @Override
  public Selector newSelector(Candidates candidates) {
    return new Selector() {
      @Override
      public Candidates candidates() {
        return candidates;
      }

      @Override
      public int selectIndex(PickContext context) {
        SelectorSupport.requireNonEmpty(candidates, context);
        long key = context.sessionIdOrNull() != null ? KeyHash.hash(context.sessionIdOrNull())
            : context.hasHashKey() ? context.hashKey() : 0;
        int preferred = (int) Math.floorMod(key, (long) candidates.size());
        return SelectorSupport.firstAllowedFrom(candidates, context, preferred);
      }
    };
  }

  @Override
  public String name() {
    return "test-key-modulo";
  }
}
