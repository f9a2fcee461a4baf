package io.lb4j.examples;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.Pick;
import io.lb4j.core.PickContext;
import io.lb4j.core.RandomSource;
import io.lb4j.core.Selector;
import io.lb4j.core.ServerList;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * lb4j without HTTP, in two parts.
 *
 * <ol>
 *   <li>Through a {@link LoadBalancer}: picks with every key-less algorithm over four weighted
 *       endpoints, keeping {@value #IN_FLIGHT} calls in flight and completing each {@link Pick} as
 *       a real caller would, and prints who got what.
 *   <li>Through a {@link Selector} directly: sends numbered user keys to each hash algorithm,
 *       removes one endpoint, and prints where keys went before and after; with a consistent hash
 *       only the removed endpoint's keys move.
 * </ol>
 *
 * <p>The algorithms come from {@link LabAlgorithms}, so each new algorithm shows up here by itself.
 * Output is reproducible: the random source is seeded and keys are fixed.
 *
 * <p>Run it: {@code mvn -q -B -pl lb-examples -am compile exec:java
 * -Dexample=io.lb4j.examples.SelectorApiExample}.
 */
public final class SelectorApiExample {
  static final List<Endpoint> ENDPOINTS = List.of(
      Endpoint.builder("10.0.0.1", 8080).weight(4).build(),
      Endpoint.builder("10.0.0.2", 8080).weight(2).build(),
      Endpoint.builder("10.0.0.3", 8080).weight(1).build(),
      Endpoint.builder("10.0.0.4", 8080).weight(1).build());
  static final String REMOVED = "10.0.0.2:8080";
  /** Calls kept in flight while spreading: each completes when this many newer ones have started. */
  static final int IN_FLIGHT = 8;

  private SelectorApiExample() {}

  /** How many picks each endpoint got from one algorithm, in endpoint order. */
  record Spread(String algorithm, Map<String, Integer> picks) {}

  /** Where the keys of one hash algorithm went when {@code removed} left. */
  record Movement(String algorithm, String removed, int keys, int movedFromRemoved, int movedFromOthers) {}

  /** Everything the example printed, for tests. */
  record Report(List<Spread> spreads, List<Movement> movements) {}

  public static void main(String[] args) {
    run(System.out, 8_000, 10_000, LabAlgorithms.spreading(), LabAlgorithms.keyed());
  }

  static Report run(PrintStream out, int picks, int keys, List<Algorithm> spreading, List<Algorithm> keyed) {
    out.printf(Locale.ROOT, "%,d picks through a LoadBalancer over %d endpoints, %d calls in flight%n%n",
        picks, ENDPOINTS.size(), IN_FLIGHT);
    printHeader(out, "algorithm", ENDPOINTS);
    List<Spread> spreads = new ArrayList<>();
    for (Algorithm algorithm : spreading) {
      Spread spread = spread(algorithm, picks);
      printRow(out, algorithm.name(), spread.picks());
      spreads.add(spread);
    }

    out.printf(Locale.ROOT, "%n%,d user keys through a Selector, before and after removing %s%n%n", keys, REMOVED);
    List<Movement> movements = new ArrayList<>();
    if (keyed.isEmpty()) {
      out.println("(no hash algorithm in LabAlgorithms.keyed() on this build)");
    }
    for (Algorithm algorithm : keyed) {
      movements.add(moveKeys(out, algorithm, keys));
    }
    return new Report(spreads, movements);
  }

  private static Spread spread(Algorithm algorithm, int picks) {
    Map<String, Integer> counts = zeroCounts(ENDPOINTS);
    try (LoadBalancer lb = LoadBalancer.builder(ServerList.of(ENDPOINTS))
        .name("inventory")
        .algorithm(algorithm)
        .random(RandomSource.seeded(1))
        .build()) {
      PickContext context = PickContext.create();
      // Like a busy client, keep calls in flight, so load-aware algorithms have load to see.
      Deque<Pick> inFlight = new ArrayDeque<>(IN_FLIGHT);
      for (int i = 0; i < picks; i++) {
        if (inFlight.size() == IN_FLIGHT) {
          inFlight.poll().complete(true, 1_000_000);
        }
        Pick pick = lb.pick(context.reset());
        counts.merge(pick.endpoint().id(), 1, Integer::sum);
        inFlight.add(pick);
      }
      inFlight.forEach(pick -> pick.complete(true, 1_000_000));
    }
    return new Spread(algorithm.name(), counts);
  }

  private static Movement moveKeys(PrintStream out, Algorithm algorithm, int keys) {
    List<Endpoint> remaining = new ArrayList<>(ENDPOINTS);
    remaining.removeIf(endpoint -> endpoint.id().equals(REMOVED));
    Selector before = algorithm.newSelector(Candidates.of(ENDPOINTS));
    Selector after = algorithm.newSelector(Candidates.of(remaining));

    Map<String, Integer> ownedBefore = zeroCounts(ENDPOINTS);
    Map<String, Integer> ownedAfter = zeroCounts(ENDPOINTS);
    int movedFromRemoved = 0;
    int movedFromOthers = 0;
    PickContext context = PickContext.create();
    for (int user = 0; user < keys; user++) {
      String key = "user-" + user;
      String owner = before.select(context.reset().hashKey(key)).id();
      String next = after.select(context.reset().hashKey(key)).id();
      ownedBefore.merge(owner, 1, Integer::sum);
      ownedAfter.merge(next, 1, Integer::sum);
      if (!owner.equals(next)) {
        if (owner.equals(REMOVED)) {
          movedFromRemoved++;
        } else {
          movedFromOthers++;
        }
      }
    }
    out.println(algorithm.name());
    printHeader(out, "  keys owned", ENDPOINTS);
    printRow(out, "  before", ownedBefore);
    printRow(out, "  after", ownedAfter);
    out.printf(Locale.ROOT, "  moved: %,d keys from %s (had to), %,d keys between endpoints that stayed%n%n",
        movedFromRemoved, REMOVED, movedFromOthers);
    return new Movement(algorithm.name(), REMOVED, keys, movedFromRemoved, movedFromOthers);
  }

  private static Map<String, Integer> zeroCounts(List<Endpoint> endpoints) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Endpoint endpoint : endpoints) {
      counts.put(endpoint.id(), 0);
    }
    return counts;
  }

  private static void printHeader(PrintStream out, String first, List<Endpoint> endpoints) {
    out.printf(Locale.ROOT, "%-26s", first);
    for (Endpoint endpoint : endpoints) {
      out.printf(Locale.ROOT, " %17s", endpoint.id() + " w" + endpoint.weight());
    }
    out.println();
  }

  private static void printRow(PrintStream out, String first, Map<String, Integer> counts) {
    out.printf(Locale.ROOT, "%-26s", first);
    for (int count : counts.values()) {
      out.printf(Locale.ROOT, " %,17d", count);
    }
    out.println();
  }
}
