package io.lb4j.core.internal.select;

import io.lb4j.core.Candidates;
import io.lb4j.core.EndpointStats;
import io.lb4j.core.PickContext;
import io.lb4j.core.internal.explain.Explainable;
import io.lb4j.core.internal.explain.Explanations;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Response-time weighted random: weighted random over dynamic weights that favour instances which
 * answer fast and successfully, recomputed periodically. Choose it when instances differ in speed in
 * a way that persists (hardware generations, noisy neighbours) and you want traffic shares that
 * follow it smoothly, rather than the call-by-call reactions of {@link LeastResponseTimeSelector}.
 *
 * <p>Dynamic weight of candidate i: {@code weight(i) × successRate(i) / latency(i)}, where latency is
 * the peak-EWMA estimate as of the endpoint's last call ({@link
 * EndpointStats#undecayedLatencyNanos()}, at least 1 ns), so that after a lull weights follow
 * speed, not how long ago each endpoint last answered; the success rate counts the
 * outcomes since the previous recompute (1 if there were none, all outcomes since the endpoint
 * joined for the first computation). A candidate without a latency estimate gets the mean
 * per-unit-weight speed of those that have one (its configured weight if none has). No candidate
 * starves: every dynamic weight is raised to at least {@link #FLOOR_FRACTION} of the mean dynamic
 * weight, so slow or failing instances keep being probed and can recover.
 *
 * <p>Concurrency: the current weights live in an immutable {@link AliasTable} behind one volatile
 * field. A pick reads it and draws from it: O(1), no lock, no allocation. The pick that first
 * notices the period has elapsed (by the candidates' ticker) wins a CAS and rebuilds the table on
 * its own thread, O(n) time and allocation on that one pick; concurrent picks keep drawing from the
 * old table meanwhile. Should a recompute fail, the previous table stays for another period (logged
 * once at WARN): a pick throws nothing but {@link io.lb4j.core.NoEndpointAvailableException}.
 * Excluded draws move on to the next candidate that is not excluded.
 */
public final class ResponseTimeWeightedSelector extends AbstractSelector implements Explainable {
  private static final Logger log = LoggerFactory.getLogger(ResponseTimeWeightedSelector.class);

  /** Smallest dynamic weight, as a fraction of the mean dynamic weight. */
  public static final double FLOOR_FRACTION = 0.1;

  private final long periodNanos;
  private final AtomicBoolean rebuilding = new AtomicBoolean();
  private volatile Weights weights;
  private volatile boolean failureLogged;

  /** @param periodNanos how often weights are recomputed; positive (validated by the caller) */
  public ResponseTimeWeightedSelector(Candidates candidates, long periodNanos) {
    super(candidates);
    this.periodNanos = periodNanos;
    this.weights = candidates.isEmpty() ? null : compute(null, candidates.ticker().read());
  }

  @Override
  public int selectIndex(PickContext context) {
    SelectorSupport.requireNonEmpty(candidates, context);
    Weights current = weights;
    long now = candidates.ticker().read();
    if (now - current.computedAtNanos >= periodNanos && rebuilding.compareAndSet(false, true)) {
      try {
        // Another thread may have rebuilt between our read and our CAS.
        current = weights;
        if (now - current.computedAtNanos >= periodNanos) {
          current = recompute(current, now);
          weights = current;
        }
      } finally {
        rebuilding.set(false);
      }
    }
    int index = current.table.draw(candidates.random());
    return SelectorSupport.firstAllowedFrom(candidates, context, index);
  }

  /** The dynamic weights picks draw from now, a copy; for tests. */
  /** Draws from the current weights without recomputing them, even when they are due. */
  @Override
  public Decision explain(PickContext context) {
    SelectorSupport.requireNonEmpty(candidates, context);
    Weights current = weights;
    int index = current.table.draw(candidates.random());
    double total = 0;
    for (double weight : current.dynamic) {
      total += weight;
    }
    return Explanations.preferring(candidates, context, index, "response-time weighted: drew "
        + "dynamic weight " + Explanations.number(current.dynamic[index]) + " of total "
        + Explanations.number(total) + " (weight x success rate / latency "
        + Explanations.millis(candidates.stats(index).latencyNanos()) + ")");
  }

  double[] currentWeights() {
    return weights.dynamic.clone();
  }

  /**
   * New weights, or, should computing them fail, the previous table kept for another period: a
   * pick must only ever fail for want of an endpoint.
   */
  private Weights recompute(Weights previous, long now) {
    try {
      return compute(previous, now);
    } catch (RuntimeException e) {
      if (!failureLogged) {
        failureLogged = true;
        log.warn("{}: recomputing weights failed; keeping the previous ones", this, e);
      }
      return new Weights(previous.table, previous.dynamic, previous.successes, previous.failures, now);
    }
  }

  private Weights compute(Weights previous, long now) {
    int n = candidates.size();
    long[] successes = new long[n];
    long[] failures = new long[n];
    double[] speed = new double[n];
    boolean[] measured = new boolean[n];
    double speedSum = 0;
    int measuredCount = 0;
    for (int i = 0; i < n; i++) {
      EndpointStats stats = candidates.stats(i);
      successes[i] = stats.successes();
      failures[i] = stats.failures();
      // Undecayed: after a lull, an endpoint idle for longer must not look faster.
      double estimate = stats.undecayedLatencyNanos();
      if (estimate > 0) {
        // At least 1 ns: a zero-latency observation long after the previous one leaves a subnormal
        // estimate, whose inverse overflows to infinity.
        double latency = Math.max(1.0, estimate);
        long ok = successes[i] - (previous == null ? 0 : previous.successes[i]);
        long failed = failures[i] - (previous == null ? 0 : previous.failures[i]);
        double successRate = ok + failed == 0 ? 1.0 : (double) ok / (ok + failed);
        speed[i] = successRate / latency;
        measured[i] = true;
        speedSum += speed[i];
        measuredCount++;
      }
    }
    double meanSpeed = measuredCount == 0 ? 0 : speedSum / measuredCount;
    double[] dynamic = new double[n];
    double dynamicSum = 0;
    for (int i = 0; i < n; i++) {
      double s = meanSpeed == 0 ? 1.0 : measured[i] ? speed[i] : meanSpeed;
      dynamic[i] = candidates.weight(i) * s;
      dynamicSum += dynamic[i];
    }
    double floor = FLOOR_FRACTION * dynamicSum / n;
    for (int i = 0; i < n; i++) {
      dynamic[i] = Math.max(dynamic[i], floor);
    }
    return new Weights(new AliasTable(dynamic), dynamic, successes, failures, now);
  }

  private static final class Weights {
    final AliasTable table;
    final double[] dynamic;
    final long[] successes;
    final long[] failures;
    final long computedAtNanos;

    Weights(AliasTable table, double[] dynamic, long[] successes, long[] failures, long computedAtNanos) {
      this.table = table;
      this.dynamic = dynamic;
      this.successes = successes;
      this.failures = failures;
      this.computedAtNanos = computedAtNanos;
    }
  }

  @Override
  public String toString() {
    return "ResponseTimeWeightedSelector" + candidates.endpoints();
  }
}
