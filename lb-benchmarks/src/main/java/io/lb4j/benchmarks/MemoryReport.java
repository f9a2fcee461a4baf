package io.lb4j.benchmarks;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.ServerList;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.ref.Reference;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Retained heap of every algorithm in {@link BenchAlgorithms#SPECS} over {@code n} endpoints (the
 * pick benchmarks' fleet, weights 1-2-3), printed as a Markdown table for {@code RESULTS.md}. Not a
 * JMH benchmark: it measures bytes, not time.
 *
 * <p>Method: a measured heap delta. Build {@value #COPIES} copies and keep them reachable, collect
 * garbage until the used heap stops shrinking, and divide the growth by the copy count; all of it
 * twice, printing the second pass (the first loads classes and settles the heap). Two rows
 * per algorithm: the selector alone (over one shared {@link Candidates}), and a whole
 * {@link LoadBalancer} (its own {@link io.lb4j.core.HealthTracker}, per-endpoint stats, candidates
 * and selector; the endpoints themselves are shared and not counted). Run with the serial
 * collector for steadier numbers:
 * {@code java -XX:+UseSerialGC -Xmx3g -cp lb-benchmarks/target/benchmarks.jar
 * io.lb4j.benchmarks.MemoryReport [n]}, default n = 10,000.
 */
public final class MemoryReport {
  static final int DEFAULT_ENDPOINTS = 10_000;
  private static final int COPIES = 16;
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private MemoryReport() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ENDPOINTS;
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, was " + n);
    }
    // The first pass loads classes and settles the heap; its deltas are noise (even negative).
    print(new PrintStream(OutputStream.nullOutputStream()), n);
    print(System.out, n);
  }

  static void print(PrintStream out, int n) {
    List<Endpoint> fleet = BenchEndpoints.fleet(n);
    Candidates candidates = Candidates.of(fleet);
    out.printf(Locale.ROOT, "%d endpoints; shared by every row and not counted: the endpoints %s,"
        + " one Candidates with its stats %s%n%n", n, kib(retained(() -> BenchEndpoints.fleet(n))),
        kib(retained(() -> Candidates.of(fleet))));
    out.println("| algorithm | selector | per endpoint | balancer (tracker, stats, candidates, selector) | per endpoint |");
    out.println("| --- | ---: | ---: | ---: | ---: |");
    for (String spec : BenchAlgorithms.SPECS) {
      Algorithm algorithm = BenchAlgorithms.byName(spec);
      long selector = retained(() -> algorithm.newSelector(candidates));
      List<LoadBalancer> balancers = new ArrayList<>();
      long balancer = retained(() -> {
        LoadBalancer lb = LoadBalancer.builder(ServerList.of(fleet))
            .algorithm(BenchAlgorithms.byName(spec)).build();
        balancers.add(lb);
        return lb;
      });
      balancers.forEach(LoadBalancer::close);
      out.printf(Locale.ROOT, "| %s | %s | %,d B | %s | %,d B |%n", spec, kib(selector), selector / n,
          kib(balancer), balancer / n);
    }
  }

  /** Bytes retained by one object built by {@code build}: the mean over {@value #COPIES} copies. */
  static long retained(Supplier<?> build) {
    Object[] keep = new Object[COPIES];
    long before = settledUsedHeap();
    for (int i = 0; i < COPIES; i++) {
      keep[i] = build.get();
    }
    long after = settledUsedHeap();
    Reference.reachabilityFence(keep);
    return Math.max(0, (after - before) / COPIES);
  }

  private static long settledUsedHeap() {
    long used = Long.MAX_VALUE;
    for (int round = 0; round < 10; round++) {
      System.gc();
      long now = MEMORY.getHeapMemoryUsage().getUsed();
      if (now >= used) {
        return now;
      }
      used = now;
    }
    return used;
  }

  private static String kib(long bytes) {
    return String.format(Locale.ROOT, "%,.1f KiB", bytes / 1024.0);
  }
}
