package io.lb4j.benchmarks;

import io.lb4j.benchmarks.BenchAlgorithms.KeyUse;
import io.lb4j.core.Algorithm;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Balance and disruption of every algorithm in {@link BenchAlgorithms#SPECS}, printed as a Markdown
 * table for {@code RESULTS.md}. Not a JMH benchmark: it measures where keys go, not time.
 *
 * <p>For each algorithm: {@code keys} picks over {@code endpoints} equal-weight endpoints, each
 * with its own key ({@code key-0}, {@code key-1}, ...) for affinity algorithms. Every pick stays in
 * flight (its endpoint's in-flight count is incremented and never decremented), as if each key
 * held a long-lived connection, so that load-aware algorithms (bounded loads, least connections)
 * see the load their earlier picks made. Reported:
 *
 * <ul>
 *   <li>max/mean and min/mean of keys per endpoint (1.000 is perfect balance);
 *   <li>for hash-key algorithms, the fraction of keys that change endpoint when the middle
 *       endpoint is removed, and when one endpoint is added (ideal: 1/endpoints and
 *       1/(endpoints+1), the keys that must move). Both selectors of a pair come from the same
 *       {@link Algorithm} instance, as in a {@link io.lb4j.core.LoadBalancer} rebuild. Others print
 *       n/a: round robin and the like have no affinity, and sticky sessions keep their pins in a
 *       bounded cache (100,000 sessions by default) that a million sessions would overflow, so
 *       the table would measure evictions, not disruption.
 * </ul>
 *
 * <p>Usage: {@code java -cp lb-benchmarks/target/benchmarks.jar io.lb4j.benchmarks.QualityReport
 * [endpoints [keys]]}, defaults 100 and 1,000,000.
 */
public final class QualityReport {
  static final int DEFAULT_ENDPOINTS = 100;
  static final int DEFAULT_KEYS = 1_000_000;

  private QualityReport() {}

  public static void main(String[] args) {
    int endpoints = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ENDPOINTS;
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_KEYS;
    if (endpoints < 2 || keys < 1) {
      throw new IllegalArgumentException(
          "need endpoints >= 2 and keys >= 1, was endpoints=" + endpoints + ", keys=" + keys);
    }
    List<Row> rows = new ArrayList<>();
    for (String spec : BenchAlgorithms.SPECS) {
      rows.add(measure(spec, BenchAlgorithms.byName(spec), BenchAlgorithms.keyUse(spec), endpoints, keys));
    }
    print(rows, endpoints, keys, System.out);
  }

  /** One algorithm's line of the report. {@code NaN} moved fractions mean "not measured". */
  record Row(String spec, double maxOverMean, double minOverMean, double movedOnRemove, double movedOnAdd) {}

  /** Measures {@code algorithm} over {@code endpoints} equal-weight endpoints and {@code keys} keys. */
  static Row measure(String spec, Algorithm algorithm, KeyUse use, int endpoints, int keys) {
    List<Endpoint> fleet = BenchEndpoints.uniform(endpoints + 1);
    List<Endpoint> base = fleet.subList(0, endpoints);
    int[] placed = place(algorithm, use, base, fleet, keys);
    double[] balance = balance(placed, endpoints);
    if (use != KeyUse.HASH_KEY) {
      return new Row(spec, balance[0], balance[1], Double.NaN, Double.NaN);
    }
    List<Endpoint> removed = new ArrayList<>(base);
    removed.remove(endpoints / 2);
    double movedOnRemove = movedFraction(placed, place(algorithm, use, removed, fleet, keys));
    double movedOnAdd = movedFraction(placed, place(algorithm, use, fleet, fleet, keys));
    return new Row(spec, balance[0], balance[1], movedOnRemove, movedOnAdd);
  }

  /**
   * Where each key goes: {@code result[k]} is the index in {@code fleet} of the endpoint key
   * {@code k} was sent to, picking among {@code members} (a subset of {@code fleet}) with fresh
   * stats, every pick left in flight.
   */
  static int[] place(Algorithm algorithm, KeyUse use, List<Endpoint> members, List<Endpoint> fleet, int keys) {
    Map<String, Integer> fleetIndex = new HashMap<>();
    for (int i = 0; i < fleet.size(); i++) {
      fleetIndex.put(fleet.get(i).id(), i);
    }
    Selector selector = algorithm.newSelector(Candidates.of(members));
    Candidates candidates = selector.candidates();
    int[] toFleet = new int[candidates.size()];
    for (int i = 0; i < toFleet.length; i++) {
      toFleet[i] = fleetIndex.get(candidates.endpoint(i).id());
    }
    PickContext context = PickContext.create();
    int[] placed = new int[keys];
    for (int k = 0; k < keys; k++) {
      BenchKeys.apply(context, use, "key-" + k);
      int index = selector.selectIndex(context);
      LiveEndpointStats.of(candidates.stats(index)).start();
      placed[k] = toFleet[index];
    }
    return placed;
  }

  /**
   * {max/mean, min/mean} of keys per endpoint over endpoints {@code 0 .. endpoints-1}, where
   * {@code placed[k]} is key k's endpoint. An endpoint that got no key counts, with 0.
   */
  static double[] balance(int[] placed, int endpoints) {
    long[] counts = new long[endpoints];
    for (int endpoint : placed) {
      counts[endpoint]++;
    }
    long max = 0;
    long min = Long.MAX_VALUE;
    for (long count : counts) {
      max = Math.max(max, count);
      min = Math.min(min, count);
    }
    double mean = (double) placed.length / endpoints;
    return new double[] {max / mean, min / mean};
  }

  /** The fraction of keys whose endpoint differs between {@code before} and {@code after}. */
  static double movedFraction(int[] before, int[] after) {
    if (before.length != after.length) {
      throw new IllegalArgumentException(
          "placements must have the same length, were " + before.length + " and " + after.length);
    }
    long moved = 0;
    for (int k = 0; k < before.length; k++) {
      if (before[k] != after[k]) {
        moved++;
      }
    }
    return (double) moved / before.length;
  }

  static void print(List<Row> rows, int endpoints, int keys, PrintStream out) {
    out.printf(Locale.ROOT, "%d keys over %d equal-weight endpoints; ideal moved fraction: "
        + "%.4f on removing one, %.4f on adding one%n%n", keys, endpoints, 1.0 / endpoints,
        1.0 / (endpoints + 1));
    out.println("| algorithm | max/mean | min/mean | moved, one removed | moved, one added |");
    out.println("| --- | ---: | ---: | ---: | ---: |");
    for (Row row : rows) {
      out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %s | %s |%n", row.spec(), row.maxOverMean(),
          row.minOverMean(), fraction(row.movedOnRemove()), fraction(row.movedOnAdd()));
    }
    out.println();
    out.println("n/a: no hash-key affinity (round robin, random and load-aware algorithms), or session"
        + " pins in a bounded cache (sticky), whose disruption lb-core's tests cover. Rows of algorithms"
        + " that draw random numbers may vary slightly from run to run; hash rows are deterministic.");
  }

  private static String fraction(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
  }
}
