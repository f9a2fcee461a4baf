package io.lb4j.core.internal.select;

import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.internal.explain.Explainable;
import io.lb4j.core.internal.explain.Explanations;

/**
 * Weighted random: each candidate drawn with probability weight / total weight. Choose it for
 * instances of unequal capacity when independent draws are preferable to a shared sequence (many
 * clients, no coordination), and load feedback is not needed.
 *
 * <p>Pick: Vose's alias method ({@link AliasTable}), one random draw and two array reads, O(1), no
 * allocation. Build: O(n) time, two arrays of n entries. An excluded draw moves on to the next
 * candidate that is not excluded, which shifts the excluded share to that neighbour for this call
 * only.
 */
public final class WeightedRandomSelector extends AbstractSelector implements Explainable {
  private final AliasTable table;

  public WeightedRandomSelector(Candidates candidates) {
    super(candidates);
    double[] weights = new double[candidates.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = candidates.weight(i);
    }
    this.table = candidates.isEmpty() ? null : new AliasTable(weights);
  }

  @Override
  public int selectIndex(PickContext context) {
    SelectorSupport.requireNonEmpty(candidates, context);
    int index = table.draw(candidates.random());
    return SelectorSupport.firstAllowedFrom(candidates, context, index);
  }

  @Override
  public Decision explain(PickContext context) {
    SelectorSupport.requireNonEmpty(candidates, context);
    int index = table.draw(candidates.random());
    return Explanations.preferring(candidates, context, index, "weighted random: drew weight "
        + candidates.weight(index) + " of total " + candidates.totalWeight());
  }

  /** The probability the alias table gives candidate {@code index}; O(n), for tests. */
  double probabilityOf(int index) {
    return table.probabilityOf(index);
  }

  @Override
  public String toString() {
    return "WeightedRandomSelector" + candidates.endpoints();
  }
}
