package io.lb4j.examples;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import java.util.function.ToIntBiFunction;

/**
 * Hash algorithms for the examples' tests only, standing in for lb-core's hash family until it is on
 * this branch: rendezvous hashing (moves only a removed endpoint's keys) and key-modulo-n (moves
 * most keys), so a test can tell the two behaviours apart. Exclusions are not supported.
 */
final class KeyedTestAlgorithms {
  private KeyedTestAlgorithms() {}

  static Algorithm rendezvous() {
    return named("test-rendezvous", (candidates, context) -> {
      int best = 0;
      long bestScore = Long.MIN_VALUE;
      for (int i = 0; i < candidates.size(); i++) {
        long score = UserKeys.of(context.hashKey() ^ candidates.endpoint(i).id().hashCode());
        if (score > bestScore) {
          bestScore = score;
          best = i;
        }
      }
      return best;
    });
  }

  static Algorithm modulo() {
    return named("test-modulo",
        (candidates, context) -> (int) Long.remainderUnsigned(context.hashKey(), candidates.size()));
  }

  private static Algorithm named(String name, ToIntBiFunction<Candidates, PickContext> pick) {
    return new Algorithm() {
      @Override
      public Selector newSelector(Candidates candidates) {
        return new Selector() {
          @Override
          public Candidates candidates() {
            return candidates;
          }

          @Override
          public int selectIndex(PickContext context) {
            return pick.applyAsInt(candidates, context);
          }
        };
      }

      @Override
      public String name() {
        return name;
      }
    };
  }
}
