package io.lb4j.core;

import io.lb4j.core.internal.RoundRobinSelector;
import java.util.Objects;
import java.util.function.Function;

/**
 * Every load-balancing algorithm lb4j ships, as {@link Algorithm} factories. Each returned
 * algorithm is immutable and thread-safe; the selectors it builds take no lock and allocate nothing
 * per pick. The README's algorithm guide says when to choose which.
 */
public final class Algorithms {
  private Algorithms() {}

  /** Round robin: each endpoint in turn; ignores weights and load. */
  public static Algorithm roundRobin() {
    return named("round-robin", RoundRobinSelector::new);
  }

  // --- weighted and load-aware algorithms (issue #2) ---

  // --- hash-based algorithms (issue #3) ---

  static Algorithm named(String name, Function<Candidates, Selector> factory) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(factory, "factory");
    return new Algorithm() {
      @Override
      public Selector newSelector(Candidates candidates) {
        return factory.apply(Objects.requireNonNull(candidates, "candidates"));
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
