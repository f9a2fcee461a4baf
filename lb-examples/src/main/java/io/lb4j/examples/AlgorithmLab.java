package io.lb4j.examples;

import io.lb4j.core.Algorithm;
import java.io.IOException;
import java.math.BigDecimal;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs every algorithm against the same fleet and the same requests, prints p50/p99/p99.9 latency,
 * error rate and load share per backend, and draws two charts (p50/p99 per algorithm; load share
 * per backend per algorithm).
 *
 * <p>The fleet: {@code --backends} backends, each {@value #WORKERS} workers behind a FIFO queue
 * with log-normal service times (median {@value #MEDIAN_MILLIS} ms, σ {@value #SIGMA}); backend b0
 * is {@code --slow-factor} times slower and b1 fails {@value #FAILING_PERCENT}% of its requests
 * (fast, like a 500). Requests arrive as a Poisson process at {@code --rate} per second.
 *
 * <p>Why a simulation rather than real servers: it is a deterministic discrete-event simulation on
 * a {@link VirtualClock}, and that clock is also the {@code LoadBalancer}'s ticker, so load-aware
 * algorithms see true in-flight counts and latency EWMAs while picks and completions go through the
 * real {@code LoadBalancer} and {@code Pick.complete} API. The result is reproducible from the seed,
 * 20,000 requests take a fraction of a second rather than real minutes, and nothing measures port,
 * GC or thread-scheduling noise of a small shared machine instead of the algorithms. What it does
 * not show: per-pick CPU cost (see lb-benchmarks' JMH numbers) and real network behaviour.
 *
 * <p>Run it: {@code mvn -q -B -pl lb-examples -am compile exec:java
 * -Dexample=io.lb4j.examples.AlgorithmLab -Dexec.args="--out docs/lab"}. Prints usage and exits
 * with status 2 on bad arguments.
 */
public final class AlgorithmLab {
  static final int WORKERS = 4;
  static final double MEDIAN_MILLIS = 5;
  static final double SIGMA = 0.5;
  static final int FAILING_PERCENT = 5;

  private AlgorithmLab() {}

  public static void main(String[] args) {
    int status = run(args, LabAlgorithms.all(), System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs the lab; returns the process exit status (0, 1 if charts could not be written, 2 on bad arguments). */
  static int run(String[] args, List<Algorithm> algorithms, PrintStream out, PrintStream err) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      out.println(LabOptions.USAGE);
      return 0;
    }
    LabOptions options;
    try {
      options = LabOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("AlgorithmLab: " + e.getMessage());
      err.println(LabOptions.USAGE);
      return 2;
    }
    List<SimulatedBackend> fleet = fleet(options);
    String setting = describe(options, fleet);
    out.println(setting);
    out.println("Simulated, not measured on sockets: a deterministic discrete-event simulation whose"
        + " virtual clock is also the balancer's ticker; picks and completions go through the real"
        + " LoadBalancer. Reproducible from the seed, seconds instead of minutes, free of port and"
        + " thread-scheduling noise.");
    out.println();
    List<LabResult> results = simulate(options, fleet, algorithms);
    List<String> labels = labels(fleet);
    printTable(out, results, labels);
    try {
      List<Path> charts = LabCharts.write(results, labels, setting, options.out());
      out.println();
      charts.forEach(chart -> out.println("wrote " + chart));
    } catch (IOException e) {
      err.println("AlgorithmLab: could not write charts to " + options.out() + ": " + e);
      return 1;
    }
    return 0;
  }

  /** Runs each algorithm over the same fleet and the same request stream. */
  static List<LabResult> simulate(LabOptions options, List<SimulatedBackend> fleet, List<Algorithm> algorithms) {
    RequestStream stream = new RequestStream(options.requests(), options.ratePerSecond(), options.seed());
    LabSimulation simulation = new LabSimulation(fleet, stream, options.seed());
    List<LabResult> results = new ArrayList<>(algorithms.size());
    for (Algorithm algorithm : algorithms) {
      results.add(simulation.run(algorithm));
    }
    return results;
  }

  /** b0 slow, b1 failing, the rest normal. */
  static List<SimulatedBackend> fleet(LabOptions options) {
    List<SimulatedBackend> fleet = new ArrayList<>(options.backends());
    fleet.add(new SimulatedBackend("b0", MEDIAN_MILLIS * options.slowFactor(), SIGMA, WORKERS, 0));
    fleet.add(new SimulatedBackend("b1", MEDIAN_MILLIS, SIGMA, WORKERS, FAILING_PERCENT / 100.0));
    for (int i = 2; i < options.backends(); i++) {
      fleet.add(new SimulatedBackend("b" + i, MEDIAN_MILLIS, SIGMA, WORKERS, 0));
    }
    return fleet;
  }

  private static List<String> labels(List<SimulatedBackend> fleet) {
    List<String> labels = new ArrayList<>(fleet.size());
    for (SimulatedBackend backend : fleet) {
      String mark = backend.medianMillis() > MEDIAN_MILLIS ? " slow" : backend.failureProbability() > 0 ? " fail" : "";
      labels.add(backend.id() + mark);
    }
    return labels;
  }

  static String describe(LabOptions options, List<SimulatedBackend> fleet) {
    double capacity = 0;
    for (SimulatedBackend backend : fleet) {
      capacity += WORKERS / (backend.medianMillis() / 1_000 * Math.exp(SIGMA * SIGMA / 2));
    }
    double slowCapacity = WORKERS / (fleet.get(0).medianMillis() / 1_000 * Math.exp(SIGMA * SIGMA / 2));
    double evenShareOfSlow = options.ratePerSecond() / options.backends() / slowCapacity;
    return String.format(Locale.ROOT,
        "%d backends x %d workers, median %.0f ms; b0 %sx slower, b1 fails %d%%; %,d requests at"
            + " %s/s (%.0f%% of fleet capacity%s), seed %d",
        options.backends(), WORKERS, MEDIAN_MILLIS, plain(options.slowFactor()), FAILING_PERCENT,
        options.requests(), plain(options.ratePerSecond()), 100 * options.ratePerSecond() / capacity,
        evenShareOfSlow >= 1 ? "; an even 1/" + options.backends() + " share overloads b0" : "",
        options.seed());
  }

  private static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  static void printTable(PrintStream out, List<LabResult> results, List<String> labels) {
    out.printf(Locale.ROOT, "%-30s %9s %9s %9s %7s |", "algorithm", "p50 ms", "p99 ms", "p99.9 ms", "errors");
    for (String label : labels) {
      out.printf(Locale.ROOT, " %7s", label.split(" ")[0]);
    }
    out.println();
    for (LabResult result : results) {
      out.printf(Locale.ROOT, "%-30s %9.1f %9.1f %9.1f %6.2f%% |", result.algorithm(),
          result.latencyMillis(50), result.latencyMillis(99), result.latencyMillis(99.9),
          100 * result.errorRate());
      for (int b = 0; b < result.backends(); b++) {
        out.printf(Locale.ROOT, " %6.1f%%", 100 * result.share(b));
      }
      out.println();
    }
    out.println("(errors: failed or rejected; share columns: % of requests each backend served;"
        + " b0 is the slow one, b1 the failing one)");
  }
}
