package io.lb4j.examples;

import io.lb4j.examples.QuickStart.Result;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Interceptor;
import okhttp3.Response;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * QuickStart's bookkeeping: per instance, the calls it served before and after the crash and their
 * latencies, and the attempts that failed on it, counted by an interceptor placed after lb4j's so
 * that it sees every attempt the balancer made. Thread-safe: any caller thread may record.
 */
final class QuickStartTally {
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);
  private static final int SHOWN_FAILURES = 5;

  private final Map<String, Counts> byName = new LinkedHashMap<>();
  private final Map<Integer, Counts> byPort = new LinkedHashMap<>();
  private final Histogram allLatency = histogram();
  private final AtomicInteger attempts = new AtomicInteger();
  private final AtomicInteger failedCalls = new AtomicInteger();
  private final Queue<String> failures = new ConcurrentLinkedQueue<>();

  QuickStartTally(List<InventoryBackend> backends) {
    for (InventoryBackend backend : backends) {
      Counts counts = new Counts();
      byName.put(backend.name(), counts);
      byPort.put(backend.port(), counts);
    }
  }

  /** An application interceptor to add after lb4j's: counts each attempt, by instance and outcome. */
  Interceptor attemptCounter() {
    return chain -> {
      attempts.incrementAndGet();
      Counts counts = byPort.get(chain.request().url().port());
      try {
        Response response = chain.proceed(chain.request());
        if (response.code() >= 500 && counts != null) {
          counts.failedAttempts.incrementAndGet();
        }
        return response;
      } catch (IOException e) {
        if (counts != null) {
          counts.failedAttempts.incrementAndGet();
        }
        throw e;
      }
    };
  }

  void served(String instance, boolean beforeCrash, long latencyNanos) {
    Counts counts = byName.get(instance);
    if (counts == null) {
      failed("served by unknown instance " + instance);
      return;
    }
    (beforeCrash ? counts.before : counts.after).incrementAndGet();
    long micros = Math.min(MAX_MICROS, TimeUnit.NANOSECONDS.toMicros(latencyNanos));
    counts.latency.recordValue(micros);
    allLatency.recordValue(micros);
  }

  void failed(String why) {
    if (failedCalls.incrementAndGet() <= SHOWN_FAILURES) {
      failures.add(why);
    }
  }

  Result result(int calls) {
    List<InstanceRow> rows = new ArrayList<>();
    int before = 0;
    int after = 0;
    int failedAttempts = 0;
    for (Map.Entry<String, Counts> entry : byName.entrySet()) {
      InstanceRow row = entry.getValue().row(entry.getKey());
      rows.add(row);
      before += row.servedBefore();
      after += row.servedAfter();
      failedAttempts += row.failedAttempts();
    }
    InstanceRow all = new InstanceRow("all", before, after, failedAttempts,
        allLatency.getValueAtPercentile(50), allLatency.getValueAtPercentile(99));
    return new Result(calls, attempts.get(), failedCalls.get(), List.copyOf(rows), all);
  }

  void printTable(PrintStream out, Result result) {
    out.printf(Locale.ROOT, "%n%-12s %6s %14s %13s %16s %8s %8s%n",
        "instance", "added", "served before", "served after", "failed attempts", "p50 ms", "p99 ms");
    for (int i = 0; i < result.instances().size(); i++) {
      printRow(out, result.instances().get(i), QuickStart.DELAYS.get(i).toMillis() + " ms");
    }
    printRow(out, result.all(), "");
    out.printf(Locale.ROOT, "%n%,d calls, %d failed; %d retries (attempts beyond a call's first: %,d attempts)%n",
        result.calls(), result.failedCalls(), result.retries(), result.attempts());
    if (result.failedCalls() > 0) {
      out.println("FAILED, first failures:");
      failures.forEach(why -> out.println("  " + why));
    }
  }

  private static void printRow(PrintStream out, InstanceRow row, String added) {
    out.printf(Locale.ROOT, "%-12s %6s %,14d %,13d %,16d %8s %8s%n", row.name(), added, row.servedBefore(),
        row.servedAfter(), row.failedAttempts(), millis(row, row.p50Micros()), millis(row, row.p99Micros()));
  }

  private static String millis(InstanceRow row, long micros) {
    return row.servedBefore() + row.servedAfter() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", micros / 1000.0);
  }

  private static Histogram histogram() {
    return new ConcurrentHistogram(MAX_MICROS, 3);
  }

  /**
   * One line of the table.
   *
   * @param servedBefore calls started before the crash that this instance answered
   * @param servedAfter calls started after the crash that this instance answered
   * @param failedAttempts attempts sent to this instance that failed (I/O error or 5xx)
   * @param p50Micros median latency of the calls this instance answered, retries included
   * @param p99Micros 99th percentile of the same
   */
  record InstanceRow(String name, int servedBefore, int servedAfter, int failedAttempts, long p50Micros,
      long p99Micros) {}

  private static final class Counts {
    final AtomicInteger before = new AtomicInteger();
    final AtomicInteger after = new AtomicInteger();
    final AtomicInteger failedAttempts = new AtomicInteger();
    final Histogram latency = histogram();

    InstanceRow row(String name) {
      return new InstanceRow(name, before.get(), after.get(), failedAttempts.get(),
          latency.getValueAtPercentile(50), latency.getValueAtPercentile(99));
    }
  }
}
