package io.lb4j.core;

/**
 * A registration made by a {@code subscribe} method ({@link ServerList#subscribe},
 * {@link HealthTracker#subscribe}, {@link HealthTracker#subscribeEvents},
 * {@link LoadBalancer#subscribeMembership}): closing it stops the
 * listener from receiving anything further. Implementations are thread-safe; closing twice is
 * harmless and never throws. A notification already being delivered when it is closed may still
 * reach the listener.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  /** Stops further notifications; idempotent, never throws. */
  @Override
  void close();
}
