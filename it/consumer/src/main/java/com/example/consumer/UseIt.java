package com.example.consumer;

import io.lb4j.core.Algorithms;
import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import io.lb4j.core.Pick;
import io.lb4j.core.PickContext;
import java.io.IOException;
import java.util.function.Consumer;

/** README "As a Maven dependency, through LoadBalancer": the snippet, with its {@code send}. */
public final class UseIt {
  private final Consumer<Endpoint> sender;

  /** {@code sender} is "your call": it throws {@link java.io.UncheckedIOException} on failure. */
  public UseIt(Consumer<Endpoint> sender) {
    this.sender = sender;
  }

  private void send(Endpoint endpoint) throws IOException {
    try {
      sender.accept(endpoint);
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Runs the snippet; returns its balancer (the caller closes it) and list. */
  public Result run() throws IOException {
    // snippet: UseIt
    MutableServerList servers = MutableServerList.of(
        Endpoint.of("10.0.0.1", 8080), Endpoint.of("10.0.0.2", 8080));
    LoadBalancer lb = LoadBalancer.builder(servers)
        .name("orders")
        .algorithm(Algorithms.roundRobin())
        .build();

    try (Pick pick = lb.pick(PickContext.create())) {  // throws NoEndpointAvailableException if none
      try {
        send(pick.endpoint());                    // your call
        pick.complete(true);                      // feeds in-flight, latency and health
      } catch (IOException e) {
        pick.complete(false);
        throw e;
      }
    }                                             // close() cancels a pick nothing completed
    servers.add(Endpoint.of("10.0.0.3", 8080));   // the next pick already sees it
    // end snippet
    return new Result(lb, servers);
  }

  /** What the snippet built. */
  public record Result(LoadBalancer lb, MutableServerList servers) {}
}
