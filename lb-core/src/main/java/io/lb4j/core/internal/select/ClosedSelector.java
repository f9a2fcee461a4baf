package io.lb4j.core.internal.select;

import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import java.util.List;

/**
 * The selector a {@link io.lb4j.core.LoadBalancer} publishes when it closes: no candidates, and
 * every selection refused with an {@link IllegalStateException} naming the balancer, so that
 * nothing goes on serving picks from the membership it had when it closed. Immutable.
 */
public final class ClosedSelector implements Selector {
  private static final Candidates NONE = Candidates.of(List.of());

  private final String message;

  public ClosedSelector(String balancer) {
    this.message = "load balancer '" + balancer + "' is closed";
  }

  /** The exception every selection throws. */
  public IllegalStateException refusal() {
    return new IllegalStateException(message);
  }

  @Override
  public Candidates candidates() {
    return NONE;
  }

  @Override
  public int selectIndex(PickContext context) {
    throw refusal();
  }

  @Override
  public String toString() {
    return "ClosedSelector{" + message + "}";
  }
}
