package io.lb4j.core;

import io.lb4j.core.internal.concurrent.Listeners;
import io.lb4j.core.internal.membership.EndpointLists;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ServerList} changed in place by its owner: a service-registry watcher, a DNS poller, a
 * test. Thread-safe: each change is atomic, and listeners see every change exactly once, in the
 * order the changes were made. For that order, listeners run on the changing thread while it holds
 * the list's write lock (a {@link LoadBalancer} rebuilds its selector there): a listener must not
 * change this list, nor wait for another thread that does. Changes of different lists, and picks,
 * never wait for that lock.
 *
 * <p>Updates that leave the membership unchanged (adding nothing, removing an absent id, replacing
 * with an equal list) publish nothing. Duplicate ids are rejected with an
 * {@link IllegalArgumentException} naming the id; a rejected change changes nothing. Before a change
 * is applied, every listener {@linkplain ServerList.Listener#vet vets} it: a
 * {@link LoadBalancer} whose algorithm cannot build a selector for the new membership (say
 * {@code maglev(7)} and an 8th endpoint) refuses it, and the writer gets that exception, with the
 * list left as it was.
 *
 * <p>A list from {@link #create()} or {@link #of} is {@link #isReady() ready} at once. A source that
 * fills the list from a registry creates it with {@link #awaitingSync()} and calls
 * {@link #markReady()} once its initial sync is published.
 */
public final class MutableServerList implements ServerList {

  private final Object writeLock = new Object();
  private final Listeners<List<Endpoint>> listeners = new Listeners<>("server list");
  private final List<Listener> vetoers = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private volatile List<Endpoint> endpoints;

  private MutableServerList(List<Endpoint> initial, boolean ready) {
    this.endpoints = initial;
    if (ready) {
      this.ready.complete(null);
    }
  }

  /** An empty list, ready at once. */
  public static MutableServerList create() {
    return new MutableServerList(List.of(), true);
  }

  /**
   * An empty list that is not {@link #isReady() ready} until {@link #markReady()}: for a source
   * whose initial sync with its registry is still to come.
   */
  public static MutableServerList awaitingSync() {
    return new MutableServerList(List.of(), false);
  }

  /** A list holding {@code initial}, ready at once; rejects duplicate ids. */
  public static MutableServerList of(List<Endpoint> initial) {
    return new MutableServerList(EndpointLists.validated(initial), true);
  }

  /** @see #of(List) */
  public static MutableServerList of(Endpoint... initial) {
    return of(List.of(initial));
  }

  @Override
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  @Override
  public boolean isReady() {
    return ready.isDone();
  }

  @Override
  public CompletableFuture<Void> whenReady() {
    return ready.copy();
  }

  /**
   * Declares the initial sync complete: from now on {@link #isReady()} is true and
   * {@link #whenReady()} futures complete. Returns false if the list was ready already.
   */
  public boolean markReady() {
    // Under the write lock so that a change being published is seen as part of the initial sync.
    synchronized (writeLock) {
      return ready.complete(null);
    }
  }

  @Override
  public Subscription subscribe(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    // Under the write lock so that no change slips between the replay and the registration.
    synchronized (writeLock) {
      Subscription delivery = listeners.add(listener::onChange, endpoints);
      vetoers.add(listener);
      return () -> {
        vetoers.remove(listener);
        delivery.close();
      };
    }
  }

  /**
   * Adds {@code endpoint}; returns false, publishing nothing, if an equal endpoint is present.
   *
   * @throws IllegalArgumentException if a different endpoint with the same id is present
   * @throws RuntimeException whatever a listener refusing the change threw (see the class comment);
   *     the endpoint is then not added
   */
  public boolean add(Endpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    synchronized (writeLock) {
      List<Endpoint> current = endpoints;
      if (current.contains(endpoint)) {
        return false;
      }
      List<Endpoint> next = new ArrayList<>(current.size() + 1);
      next.addAll(current);
      next.add(endpoint);
      return publish(EndpointLists.validated(next));
    }
  }

  /**
   * Removes the endpoint with {@code id}; returns false, publishing nothing, if none has it.
   *
   * @throws RuntimeException whatever a listener refusing the change threw; nothing is removed
   */
  public boolean remove(String id) {
    Objects.requireNonNull(id, "id");
    synchronized (writeLock) {
      List<Endpoint> current = endpoints;
      List<Endpoint> next = new ArrayList<>(current.size());
      for (Endpoint endpoint : current) {
        if (!endpoint.id().equals(id)) {
          next.add(endpoint);
        }
      }
      return next.size() != current.size() && publish(List.copyOf(next));
    }
  }

  /** Removes {@code endpoint}'s id; see {@link #remove(String)}. */
  public boolean remove(Endpoint endpoint) {
    return remove(Objects.requireNonNull(endpoint, "endpoint").id());
  }

  /**
   * Replaces the whole membership atomically; returns false, publishing nothing, if the new list
   * equals the current one.
   *
   * @throws IllegalArgumentException if two endpoints share an id
   * @throws RuntimeException whatever a listener refusing the change threw; nothing is replaced
   */
  public boolean replaceAll(List<Endpoint> next) {
    List<Endpoint> validated = EndpointLists.validated(next);
    synchronized (writeLock) {
      return !validated.equals(endpoints) && publish(validated);
    }
  }

  private boolean publish(List<Endpoint> next) {
    for (Listener vetoer : vetoers) {
      vetoer.vet(next);
    }
    endpoints = next;
    listeners.publish(next);
    return true;
  }

  @Override
  public String toString() {
    return "MutableServerList" + endpoints;
  }
}
