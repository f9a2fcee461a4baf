package io.lb4j.core.internal.select;

import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.internal.explain.Explainable;
import io.lb4j.core.internal.explain.Explanations;

/**
 * Uniform random: every candidate equally likely, ignoring weights and load. Choose it for
 * identical instances when many clients must not move in lockstep (no shared counter to contend on)
 * and exact per-cycle fairness does not matter.
 *
 * <p>Pick: one draw from the candidates' {@link io.lb4j.core.RandomSource}, O(1), no allocation, no
 * shared mutable state. An excluded draw moves on to the next candidate that is not excluded.
 */
public final class RandomSelector extends AbstractSelector implements Explainable {

  public RandomSelector(Candidates candidates) {
    super(candidates);
  }

  @Override
  public int selectIndex(PickContext context) {
    SelectorSupport.requireNonEmpty(candidates, context);
    int index = candidates.random().nextInt(candidates.size());
    return SelectorSupport.firstAllowedFrom(candidates, context, index);
  }

  @Override
  public Decision explain(PickContext context) {
    SelectorSupport.requireNonEmpty(candidates, context);
    int index = candidates.random().nextInt(candidates.size());
    return Explanations.preferring(candidates, context, index,
        "random: drew " + index + " of " + candidates.size() + " uniformly");
  }

  @Override
  public String toString() {
    return "RandomSelector" + candidates.endpoints();
  }
}
