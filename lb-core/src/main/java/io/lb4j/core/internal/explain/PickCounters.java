package io.lb4j.core.internal.explain;

import io.lb4j.core.NoEndpointAvailableException.Reason;
import java.util.concurrent.atomic.LongAdder;

/**
 * Monotonic counts of a balancer's picks, by result, for metrics. {@link LongAdder}s: an increment
 * takes no lock and, once a contended adder has grown its cells (once, not per increment),
 * allocates nothing; reads sum the cells and may miss increments racing with them.
 */
public final class PickCounters {
  private static final Reason[] REASONS = Reason.values();

  private final LongAdder picked = new LongAdder();
  private final LongAdder[] refused = new LongAdder[REASONS.length];

  /** All counts at zero. */
  public PickCounters() {
    for (int i = 0; i < refused.length; i++) {
      refused[i] = new LongAdder();
    }
  }

  /** Counts one pick that returned an endpoint. */
  public void picked() {
    picked.increment();
  }

  /** Counts one pick that found no endpoint, for {@code reason}. */
  public void refused(Reason reason) {
    refused[reason.ordinal()].increment();
  }

  /** Picks that returned an endpoint so far. */
  public long pickedCount() {
    return picked.sum();
  }

  /** Picks that found no endpoint for {@code reason} so far. */
  public long refusedCount(Reason reason) {
    return refused[reason.ordinal()].sum();
  }
}
