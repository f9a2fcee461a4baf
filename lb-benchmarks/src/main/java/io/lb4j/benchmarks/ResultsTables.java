package io.lb4j.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a JMH CSV result file ({@code -rf csv}) of this suite into the Markdown tables of
 * {@code RESULTS.md}, so that the published tables are generated, not retyped: one row per
 * implementation and algorithm, one column per fleet size n, cells "score ± error".
 *
 * <p>Usage: {@code java -cp lb-benchmarks/target/benchmarks.jar io.lb4j.benchmarks.ResultsTables
 * jmh.csv [more.csv ...]}; several files (e.g. one run per benchmark class) merge into one set of
 * tables, a later file's row for the same benchmark and parameters replacing an earlier one's.
 */
public final class ResultsTables {
  private static final String ALLOC = "gc.alloc.rate.norm";
  private static final List<String> PICK_CLASSES =
      List.of("FloorBenchmark", "SelectorBenchmark", "ArmeriaBenchmark", "DubboBenchmark", "RibbonBenchmark");

  private ResultsTables() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: ResultsTables <jmh-result.csv>..., was no argument");
    }
    List<Result> results = new ArrayList<>();
    for (String file : args) {
      results.addAll(parse(Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)));
    }
    print(results, System.out);
  }

  /** One line of JMH's CSV: a primary score ({@code metric} null) or a profiler's secondary one. */
  record Result(String benchmarkClass, String method, String metric, int threads, double score,
      double error, String unit, Map<String, String> params) {

    boolean twoThreads() {
      return threads > 1;
    }

    /** The row a result belongs to, e.g. "lb4j round-robin", "Dubbo consistent-hash", "floor: hash". */
    String rowLabel() {
      String algorithm = params.get("algorithm");
      switch (benchmarkClass) {
        case "FloorBenchmark":
          return "floor: " + method.replace("2Threads", "").replace("Floor", "");
        case "SelectorBenchmark":
        case "LoadBalancerBenchmark":
          return "lb4j " + algorithm;
        case "BuildBenchmark":
          return "lb4j " + algorithm + (params.containsKey("weights") ? ", weights " + params.get("weights") : "");
        case "OkHttpInterceptorBenchmark":
          return "OkHttp " + method;
        default:
          return benchmarkClass.replace("Benchmark", "") + " " + algorithm;
      }
    }
  }

  static List<Result> parse(List<String> lines) {
    List<String> header = split(lines.get(0));
    List<Result> results = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      List<String> cells = split(line);
      String fullName = cells.get(0);
      int colon = fullName.indexOf(':');
      String name = colon < 0 ? fullName : fullName.substring(0, colon);
      String metric = colon < 0 ? null : fullName.substring(colon + 1);
      int lastDot = name.lastIndexOf('.');
      String method = name.substring(lastDot + 1);
      String benchmarkClass = name.substring(name.lastIndexOf('.', lastDot - 1) + 1, lastDot);
      Map<String, String> params = new HashMap<>();
      for (int i = 7; i < header.size() && i < cells.size(); i++) {
        if (!cells.get(i).isEmpty()) {
          params.put(header.get(i).replace("Param: ", ""), cells.get(i));
        }
      }
      results.add(new Result(benchmarkClass, method, metric, Integer.parseInt(cells.get(2)),
          number(cells.get(4)), number(cells.get(5)), cells.get(6), params));
    }
    return results;
  }

  static void print(List<Result> results, PrintStream out) {
    pivot(out, "Pick, 1 thread (ns/op)", results, PICK_CLASSES, null, false);
    pivot(out, "Pick, 2 threads (ns/op)", results, PICK_CLASSES, null, true);
    pivot(out, "Allocation per pick, 1 thread (B/op, -prof gc)", results, PICK_CLASSES, ALLOC, false);
    pivot(out, "LoadBalancer.pick + Pick.complete, 1 thread (ns/op)", results,
        List.of("LoadBalancerBenchmark"), null, false);
    pivot(out, "LoadBalancer.pick + Pick.complete, 2 threads (ns/op)", results,
        List.of("LoadBalancerBenchmark"), null, true);
    pivot(out, "LoadBalancer.pick + Pick.complete, allocation (B/op, -prof gc)", results,
        List.of("LoadBalancerBenchmark"), ALLOC, false);
    pivot(out, "Selector build time (us/op)", results, List.of("BuildBenchmark"), null, false);
    pivot(out, "Selector build, allocated per build (B/op, -prof gc)", results,
        List.of("BuildBenchmark"), ALLOC, false);
    pivot(out, "OkHttp GET over loopback (us/op)", results, List.of("OkHttpInterceptorBenchmark"), null, false);
    pivot(out, "OkHttp GET over loopback, allocation (B/op, -prof gc)", results,
        List.of("OkHttpInterceptorBenchmark"), ALLOC, false);
  }

  /** A table of the chosen results: rows in class then file order, one column per n. */
  private static void pivot(PrintStream out, String title, List<Result> results, List<String> classes,
      String metric, boolean twoThreads) {
    Set<String> sizes = new LinkedHashSet<>();
    Map<String, Map<String, Result>> rows = new LinkedHashMap<>();
    for (String benchmarkClass : classes) {
      for (Result result : inSpecOrder(results)) {
        boolean sameMetric = metric == null ? result.metric() == null : metric.equals(result.metric());
        if (result.benchmarkClass().equals(benchmarkClass) && sameMetric
            && result.twoThreads() == twoThreads) {
          String n = result.params().getOrDefault("n", "-");
          sizes.add(n);
          rows.computeIfAbsent(result.rowLabel(), label -> new LinkedHashMap<>()).put(n, result);
        }
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    out.println("#### " + title);
    out.println();
    StringBuilder head = new StringBuilder("| implementation |");
    StringBuilder rule = new StringBuilder("| --- |");
    for (String n : sizes) {
      head.append(n.equals("-") ? " score" : " n = " + n).append(" |");
      rule.append(" ---: |");
    }
    out.println(head);
    out.println(rule);
    for (Map.Entry<String, Map<String, Result>> row : rows.entrySet()) {
      StringBuilder line = new StringBuilder("| ").append(row.getKey()).append(" |");
      for (String n : sizes) {
        Result result = row.getValue().get(n);
        line.append(' ').append(result == null ? "-" : cell(result)).append(" |");
      }
      out.println(line);
    }
    out.println();
  }

  /**
   * The results with lb4j's rows in {@link BenchAlgorithms#SPECS} order, whatever file they came
   * from; everything else keeps its file order.
   */
  private static List<Result> inSpecOrder(List<Result> results) {
    List<Result> sorted = new ArrayList<>(results);
    sorted.sort(Comparator.comparingInt(ResultsTables::specRank));
    return sorted;
  }

  private static int specRank(Result result) {
    boolean lb4j = result.benchmarkClass().equals("SelectorBenchmark")
        || result.benchmarkClass().equals("LoadBalancerBenchmark")
        || result.benchmarkClass().equals("BuildBenchmark");
    int rank = lb4j ? BenchAlgorithms.SPECS.indexOf(result.params().get("algorithm")) : -1;
    return rank < 0 ? Integer.MAX_VALUE : rank;
  }

  static String cell(Result result) {
    String score = format(result.score());
    return Double.isNaN(result.error()) ? score : score + " ± " + format(result.error());
  }

  private static String format(double value) {
    double magnitude = Math.abs(value);
    if (magnitude >= 100 || value == Math.rint(value)) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, magnitude >= 10 ? "%.1f" : "%.2f", value);
  }

  private static double number(String cell) {
    return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
  }

  /** Splits one CSV line; JMH quotes strings and never puts commas inside this suite's values. */
  private static List<String> split(String line) {
    List<String> cells = new ArrayList<>();
    for (String cell : line.split(",", -1)) {
      cells.add(cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"")
          ? cell.substring(1, cell.length() - 1) : cell);
    }
    return cells;
  }
}
