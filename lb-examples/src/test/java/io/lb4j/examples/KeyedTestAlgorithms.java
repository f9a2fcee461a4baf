package io.lb4j.examples;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import java.util.function.ToIntBiFunction;

/**
 * A hash algorithm for the examples' tests only: the key modulo n over the candidates in their given
 * order (lb-core's hash modulo orders endpoints by id), so a test can predict every pick from the
 * key alone. Exclusions are not supported.
 */
final class KeyedTestAlgorithms {
  private KeyedTestAlgorithms() {}

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
