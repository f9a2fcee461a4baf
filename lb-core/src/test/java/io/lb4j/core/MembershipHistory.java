package io.lb4j.core;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memberships one churning writer publishes, numbered by epoch, for checking picks made
 * meanwhile against the membership of their own time rather than against every endpoint ever
 * used (the epoch technique of {@link LoadBalancerStressTest}). The writer records the next
 * membership before applying it and advances the epoch after, so a pick that read the epoch as
 * {@code from} before picking and {@code to} after may only return a member of some epoch in
 * {@code [from, to + 1]}: the last for a change being applied while it picked. Thread-safe for one
 * writer and many readers.
 */
public final class MembershipHistory {
  private final Map<Long, Set<String>> idsByEpoch = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();

  public MembershipHistory(Collection<Endpoint> initial) {
    idsByEpoch.put(0L, ids(initial));
  }

  /** The epoch of the membership applied last. */
  public long epoch() {
    return epoch.get();
  }

  /** Records {@code next} as the next epoch's membership, runs {@code apply}, then publishes it. */
  public void change(Collection<Endpoint> next, Runnable apply) {
    long following = epoch.get() + 1;
    idsByEpoch.put(following, ids(next));
    apply.run();
    epoch.set(following);
  }

  /** Whether {@code endpoint} was a member in some epoch from {@code from} to {@code to + 1}. */
  public boolean wasMemberBetween(Endpoint endpoint, long from, long to) {
    for (long e = from; e <= to + 1; e++) {
      Set<String> ids = idsByEpoch.get(e);
      if (ids != null && ids.contains(endpoint.id())) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> ids(Collection<Endpoint> endpoints) {
    Set<String> ids = new HashSet<>();
    for (Endpoint endpoint : endpoints) {
      ids.add(endpoint.id());
    }
    return Set.copyOf(ids);
  }
}
