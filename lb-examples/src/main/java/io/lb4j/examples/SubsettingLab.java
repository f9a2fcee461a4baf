package io.lb4j.examples;

import io.lb4j.core.Algorithms;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.PickContext;
import io.lb4j.core.RandomSource;
import io.lb4j.core.Selector;
import io.lb4j.core.Ticker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compares subsetting schemes on a simulated fleet of {@code --clients} clients and
 * {@code --instances} instances with subset size {@code --subset}: connections per instance (clients
 * whose subset holds it), requests per instance (each client sends {@code --requests} requests,
 * spread over its subset by lb4j's round robin, so the algorithm adds no noise of its own), and how
 * many client→instance assignments change when one instance or one client leaves. Deterministic:
 * no clock and no threads; the same arguments print the same table. Writes a chart (PNG) into
 * {@code --out}.
 *
 * <p>Run it: {@code mvn -q -B -pl lb-examples -am compile exec:java
 * -Dexample=io.lb4j.examples.SubsettingLab -Dexec.args="--out target/subsetting-lab"}. Exit status
 * 2 on bad arguments, 1 if the chart cannot be written.
 */
public final class SubsettingLab {
  static final String USAGE = "usage: SubsettingLab [--clients N] [--instances M] [--subset K]"
      + " [--requests R] [--out DIR]   (defaults 1000, 300, 20, 1000, target/subsetting-lab)";

  private SubsettingLab() {}

  /** One scheme's numbers. Assignment changes exclude the unavoidable ones of the leaver itself. */
  record Result(String scheme, int connectionsMax, double connectionsMean, int connectionsMin,
      long requestsMax, double requestsMean, int assignments, int instanceLeaveMoved,
      int instanceLeaveUnavoidable, int clientLeaveMoved) {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options = new HashMap<>(Map.of("--clients", "1000", "--instances", "300",
        "--subset", "20", "--requests", "1000", "--out", "target/subsetting-lab"));
    int clients;
    int instances;
    int k;
    int requests;
    try {
      for (int i = 0; i < args.length; i += 2) {
        if (!options.containsKey(args[i]) || i + 1 == args.length) {
          throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
        }
        options.put(args[i], args[i + 1]);
      }
      clients = atLeast(options, "--clients", 2);
      instances = atLeast(options, "--instances", 2);
      k = atLeast(options, "--subset", 1);
      requests = atLeast(options, "--requests", 1);
    } catch (IllegalArgumentException e) {
      err.println("SubsettingLab: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    String setting = String.format(Locale.ROOT, "%,d clients x %,d instances, subset size %d,"
        + " %,d requests per client (round robin)", clients, instances, k, requests);
    out.println(setting);
    List<Result> results = new ArrayList<>();
    for (SubsetScheme scheme : SubsetScheme.values()) {
      results.add(measure(scheme, clients, fleet(instances), k, requests));
    }
    printTable(out, results);
    try {
      Path chart = SubsettingCharts.write(results, setting, Path.of(options.get("--out")));
      out.println("wrote " + chart);
    } catch (IOException e) {
      err.println("SubsettingLab: could not write the chart: " + e);
      return 1;
    }
    return 0;
  }

  private static int atLeast(Map<String, String> options, String name, int min) {
    String text = options.get(name);
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, was '" + text + "'");
    }
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
    }
    return value;
  }

  static List<Endpoint> fleet(int instances) {
    List<Endpoint> fleet = new ArrayList<>(instances);
    for (int j = 0; j < instances; j++) {
      fleet.add(Endpoint.of("10.2." + (j / 250) + "." + (j % 250), 8080));
    }
    return fleet;
  }

  static Result measure(SubsetScheme scheme, int clients, List<Endpoint> fleet, int k, int requests) {
    List<Set<Endpoint>> subsets = subsets(scheme, clients, fleet, k);
    Map<Endpoint, Integer> connections = new HashMap<>();
    Map<Endpoint, Long> served = new HashMap<>();
    int assignments = 0;
    for (int client = 0; client < clients; client++) {
      assignments += subsets.get(client).size();
      subsets.get(client).forEach(e -> connections.merge(e, 1, Integer::sum));
      sendRequests(client, subsets.get(client), requests, served);
    }
    int connectionsMax = 0;
    int connectionsMin = Integer.MAX_VALUE;
    long requestsMax = 0;
    for (Endpoint instance : fleet) {
      connectionsMax = Math.max(connectionsMax, connections.getOrDefault(instance, 0));
      connectionsMin = Math.min(connectionsMin, connections.getOrDefault(instance, 0));
      requestsMax = Math.max(requestsMax, served.getOrDefault(instance, 0L));
    }

    Endpoint leavingInstance = fleet.get(fleet.size() / 2);
    List<Endpoint> fewer = new ArrayList<>(fleet);
    fewer.remove(leavingInstance);
    List<Set<Endpoint>> afterInstance = subsets(scheme, clients, fewer, k);
    int instanceMoved = 0;
    int unavoidable = 0;
    for (int client = 0; client < clients; client++) {
      Set<Endpoint> before = new HashSet<>(subsets.get(client));
      if (before.remove(leavingInstance)) {
        unavoidable++;
      }
      instanceMoved += changed(before, afterInstance.get(client));
    }

    int leavingClient = clients / 2;
    int clientMoved = 0;
    for (int client = 0; client < clients; client++) {
      if (client != leavingClient) {
        int index = client < leavingClient ? client : client - 1;
        Set<Endpoint> after = scheme.subset(index, clients - 1, "client-" + client, fleet, k);
        clientMoved += changed(subsets.get(client), after);
      }
    }
    return new Result(scheme.label(), connectionsMax, (double) assignments / fleet.size(),
        connectionsMin, requestsMax, (double) clients * requests / fleet.size(), assignments,
        instanceMoved, unavoidable, clientMoved);
  }

  private static List<Set<Endpoint>> subsets(SubsetScheme scheme, int clients, List<Endpoint> fleet, int k) {
    List<Set<Endpoint>> subsets = new ArrayList<>(clients);
    for (int client = 0; client < clients; client++) {
      subsets.add(scheme.subset(client, clients, "client-" + client, fleet, k));
    }
    return subsets;
  }

  private static void sendRequests(int client, Set<Endpoint> subset, int requests, Map<Endpoint, Long> served) {
    List<Endpoint> ordered = new ArrayList<>(subset);
    ordered.sort((a, b) -> a.id().compareTo(b.id()));
    Selector selector = Algorithms.roundRobin().newSelector(Candidates.of(ordered,
        Endpoint::weight, Ticker.system(), RandomSource.seeded(client)));
    PickContext context = PickContext.create();
    for (int r = 0; r < requests; r++) {
      served.merge(selector.select(context), 1L, Long::sum);
    }
  }

  /** Assignments lost plus assignments gained. */
  private static int changed(Set<Endpoint> before, Set<Endpoint> after) {
    int changed = 0;
    for (Endpoint e : before) {
      changed += after.contains(e) ? 0 : 1;
    }
    for (Endpoint e : after) {
      changed += before.contains(e) ? 0 : 1;
    }
    return changed;
  }

  static void printTable(PrintStream out, List<Result> results) {
    out.printf(Locale.ROOT, "%-36s %17s %9s %17s %9s %22s %18s%n", "scheme", "conn max/mean",
        "conn min", "requests max/mean", "max/mean", "instance leaves: moved", "client leaves: moved");
    for (Result r : results) {
      out.printf(Locale.ROOT, "%-36s %8d / %6.1f %9d %8d / %6.0f %9.3f %13d (+%d own) %18d%n",
          r.scheme(), r.connectionsMax(), r.connectionsMean(), r.connectionsMin(), r.requestsMax(),
          r.requestsMean(), r.requestsMax() / r.requestsMean(), r.instanceLeaveMoved(),
          r.instanceLeaveUnavoidable(), r.clientLeaveMoved());
    }
    out.println("(moved: client->instance assignments lost or gained, besides the leaving instance's"
        + " own (\"own\") or the leaving client's own; of " + results.get(0).assignments()
        + " assignments for the first scheme)");
  }
}
