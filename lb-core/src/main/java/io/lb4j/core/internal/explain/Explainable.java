package io.lb4j.core.internal.explain;

import io.lb4j.core.PickContext;

/**
 * A selector that can say what a pick with a given context would choose now, and by which rule,
 * for {@link io.lb4j.core.LoadBalancer#explain}. Off the pick path: an explanation may allocate.
 * It must not move shared state (round-robin counters, sticky pins, cache access times); like a
 * pick, it may draw from the candidates' random source, so for randomized algorithms it shows one
 * possible draw.
 */
public interface Explainable {

  /**
   * The index a pick with {@code context} would choose and the rule that chose it.
   *
   * @throws io.lb4j.core.NoEndpointAvailableException if the pick would find nothing
   */
  Decision explain(PickContext context);

  /**
   * @param index the chosen candidate, or {@link #NOT_EXPLAINED} when a delegate outside lb4j
   *     cannot say without picking
   * @param rule how it was chosen, naming endpoints by id, e.g. "P2C drew a and b; a won: ..."
   */
  record Decision(int index, String rule) {
    public static final int NOT_EXPLAINED = -1;
  }
}
