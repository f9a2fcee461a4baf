package io.lb4j.core;

import io.lb4j.core.internal.membership.EndpointLists;
import io.lb4j.core.internal.membership.StaticServerList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where endpoints come from: an immutable snapshot of the current members, and subscriptions to
 * changes. Implementations are thread-safe.
 *
 * <p>Every snapshot is an unmodifiable list with unique {@link Endpoint#id() ids}, in the order the
 * source gave them. A listener is called once with the current snapshot when it subscribes, then
 * once per change, never for an update that changed nothing. A listener that throws is logged and
 * does not stop the others.
 *
 * <p>Readiness: a source that follows a registry is not {@link #isReady() ready} until its initial
 * sync is complete, that is until it has published the whole membership the registry held when it
 * started (in one change, or in several). It becomes ready at most once and stays ready; it
 * publishes its initial membership before it turns ready, so a listener that reads
 * {@link #isReady()} inside {@link Listener#onChange} sees {@code false} for every change of the
 * initial sync. Static lists, and {@link MutableServerList}s unless created
 * {@link MutableServerList#awaitingSync() awaiting sync}, are ready at once.
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

  /**
   * Whether the initial sync is complete; see the class comment. Default {@code true}: a list
   * that does not follow a registry is ready at once.
   */
  default boolean isReady() {
    return true;
  }

  /**
   * A future that completes normally once this list {@link #isReady() is ready}, or exceptionally
   * if the source gives up waiting for its initial sync (its exception says why, e.g. which
   * registry did not answer in time). Each call returns a new future; completing or cancelling it
   * affects nobody else. Default: already complete.
   */
  default CompletableFuture<Void> whenReady() {
    return CompletableFuture.completedFuture(null);
  }

  /** Receives server-list snapshots. */
  @FunctionalInterface
  interface Listener {
    /**
     * Called with each new membership, on the thread that applied the change; keep it short.
     *
     * @param endpoints the complete new membership
     */
    void onChange(List<Endpoint> endpoints);

    /**
     * Called with a proposed membership before it is applied, by sources that let listeners refuse
     * a change ({@link MutableServerList} does); throwing refuses it: the change is not applied, no
     * listener hears of it, and the exception reaches the code that made the change. A
     * {@link LoadBalancer} builds its selector here, so that a membership its algorithm cannot
     * serve is refused rather than swallowed. Default: accepts everything.
     */
    default void vet(List<Endpoint> proposed) {}
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
