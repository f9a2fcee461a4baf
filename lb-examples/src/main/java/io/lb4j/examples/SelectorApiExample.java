package io.lb4j.examples;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.Pick;
import io.lb4j.core.PickContext;
import io.lb4j.core.ServerList;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Selector API without HTTP: builds a server list, picks with several algorithms and prints
 * who got what.
 */
public final class SelectorApiExample {
  private SelectorApiExample() {}

  public static void main(String[] args) {
    run(System.out, 7_000);
  }

  static void run(PrintStream out, int picks) {
    List<Endpoint> endpoints = List.of(
        Endpoint.builder("10.0.0.1", 8080).weight(5).build(),
        Endpoint.builder("10.0.0.2", 8080).weight(1).build(),
        Endpoint.builder("10.0.0.3", 8080).weight(1).build());
    List<Algorithm> algorithms = List.of(Algorithms.roundRobin());

    out.printf("%d picks over %s%n%n", picks, endpoints);
    out.printf("%-28s", "algorithm");
    for (Endpoint endpoint : endpoints) {
      out.printf("%14s", endpoint.id() + " w" + endpoint.weight());
    }
    out.println();
    for (Algorithm algorithm : algorithms) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      endpoints.forEach(e -> counts.put(e.id(), 0));
      try (LoadBalancer lb = LoadBalancer.builder(ServerList.of(endpoints)).algorithm(algorithm).build()) {
        PickContext context = PickContext.create();
        for (int i = 0; i < picks; i++) {
          Pick pick = lb.pick(context.reset());
          counts.merge(pick.endpoint().id(), 1, Integer::sum);
          pick.complete(true, 1_000_000);
        }
      }
      out.printf("%-28s", algorithm.name());
      counts.values().forEach(c -> out.printf("%14d", c));
      out.println();
    }
  }
}
