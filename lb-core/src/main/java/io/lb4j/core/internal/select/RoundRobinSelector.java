package io.lb4j.core.internal.select;

import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.internal.concurrent.PaddedCounter;
import io.lb4j.core.internal.explain.Explainable;
import io.lb4j.core.internal.explain.Explanations;

/**
 * Round robin: each candidate in turn, ignoring weights and load. Choose it for a fleet of
 * identical instances serving uniform requests; it is the cheapest and the most predictable
 * algorithm.
 *
 * <p>Pick: one {@code getAndIncrement} on a shared counter (padded against false sharing), O(1),
 * no allocation. The counter starts at a random offset, so that a fleet of clients restarted
 * together does not send its first calls to the same instance (gRPC does the same), and is masked
 * to stay non-negative across overflow.
 * Excluded candidates are skipped by moving on to the next one.
 */
public final class RoundRobinSelector extends AbstractSelector implements Explainable {
  private final PaddedCounter next;

  public RoundRobinSelector(Candidates candidates) {
    super(candidates);
    this.next = new PaddedCounter(candidates.isEmpty() ? 0 : candidates.random().nextInt(candidates.size()));
  }

  @Override
  public int selectIndex(PickContext context) {
    SelectorSupport.requireNonEmpty(candidates, context);
    int index = (next.getAndIncrement() & Integer.MAX_VALUE) % candidates.size();
    return SelectorSupport.firstAllowedFrom(candidates, context, index);
  }

  @Override
  public Decision explain(PickContext context) {
    SelectorSupport.requireNonEmpty(candidates, context);
    int index = (next.peek() & Integer.MAX_VALUE) % candidates.size();
    return Explanations.preferring(candidates, context, index,
        "round robin: the shared counter is at position " + index + " of " + candidates.size());
  }

  @Override
  public String toString() {
    return "RoundRobinSelector" + candidates.endpoints();
  }
}
