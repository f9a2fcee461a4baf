package io.lb4j.core.internal.membership;

import io.lb4j.core.Endpoint;
import io.lb4j.core.ServerList;
import io.lb4j.core.Subscription;
import java.util.List;
import java.util.Objects;

/** A server list that never changes: subscribing replays the snapshot once. */
public final class StaticServerList implements ServerList {
  private final List<Endpoint> endpoints;

  public StaticServerList(List<Endpoint> endpoints) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
  }

  @Override
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  @Override
  public Subscription subscribe(Listener listener) {
    Objects.requireNonNull(listener, "listener").onChange(endpoints);
    return () -> {};
  }

  @Override
  public String toString() {
    return "StaticServerList" + endpoints;
  }
}
