package io.lb4j.core.internal.select;

import io.lb4j.core.Candidates;
import io.lb4j.core.Selector;

/**
 * What every built-in selector shares: it is built over one immutable {@link Candidates} snapshot
 * and answers for that snapshot alone. Subclasses are final, one algorithm each, and keep their own
 * {@link #selectIndex}, so a pick dispatches as if they implemented {@link Selector} directly.
 */
public abstract class AbstractSelector implements Selector {
  protected final Candidates candidates;

  protected AbstractSelector(Candidates candidates) {
    this.candidates = candidates;
  }

  @Override
  public final Candidates candidates() {
    return candidates;
  }
}
