package io.lb4j.core;

import io.lb4j.core.internal.EndpointLists;
import io.lb4j.core.internal.StaticServerList;
import java.util.List;

/**
 * Where endpoints come from: an immutable snapshot of the current members, and subscriptions to
 * changes. Implementations are thread-safe.
 *
 * <p>Every snapshot is an unmodifiable list with unique {@link Endpoint#id() ids}, in the order the
 * source gave them. A listener is called once with the current snapshot when it subscribes, then
 * once per change, never for an update that changed nothing. A listener that throws is logged and
 * does not stop the others.
 *
 * @see MutableServerList for a list that a registry or a test drives
 */
public interface ServerList {

  /** The current members; never null, possibly empty. */
  List<Endpoint> endpoints();

  /**
   * Calls {@code listener} with the current snapshot, then after every change until the returned
   * subscription is closed.
   */
  Subscription subscribe(Listener listener);

  /** Receives server-list snapshots. */
  @FunctionalInterface
  interface Listener {
    void onChange(List<Endpoint> endpoints);
  }

  /** Stops a listener from receiving further snapshots; closing twice is harmless. */
  @FunctionalInterface
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * A server list that never changes.
   *
   * @throws IllegalArgumentException if two endpoints share an id
   */
  static ServerList of(List<Endpoint> endpoints) {
    return new StaticServerList(EndpointLists.validated(endpoints));
  }

  /** @see #of(List) */
  static ServerList of(Endpoint... endpoints) {
    return of(List.of(endpoints));
  }
}
