package io.lb4j.core.internal.stats;

import io.lb4j.core.EndpointStats;
import io.lb4j.core.Ticker;
import io.lb4j.core.internal.Arguments;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one implementation of {@link EndpointStats}: the read-only view users see, plus the
 * mutators lb4j feeds it with. Load-aware algorithms read it on the pick path; {@code
 * LoadBalancer} feeds it from {@code Pick.complete} (and {@code Pick.cancel}, which only ends the
 * in-flight count). One
 * instance lives as long as its endpoint stays in the server list, across selector rebuilds.
 *
 * <p>Thread-safe and lock-free: every method is a few atomic reads or CAS loops and allocates
 * nothing. With an {@linkplain #observeInFlight in-flight observer} (least connections' index),
 * {@link #start()}, {@link #end} and {@link #abandon()} also update that index, O(log n)
 * compare-and-sets, on the calling thread.
 *
 * <p>Peak EWMA (Finagle, Linkerd): a latency above the current estimate replaces it at once (peaks
 * are believed immediately); lower ones are averaged in with weight {@code 1 - exp(-Δt/τ)}, where
 * Δt is the time since the previous observation and τ the decay time. Between observations the
 * estimate decays toward zero with the same τ, so an endpoint that was slow once is tried again
 * later rather than shunned forever.
 *
 * <p>A failure never makes an endpoint look better: a failed call slower than the estimate is a
 * peak like any other, while a faster one (a quick 503, a refused connection) leaves the estimate
 * at its value of the last observation and restarts its decay from now. An endpoint that keeps
 * failing fast thus keeps the cost of its last success instead of drifting toward zero like an idle
 * one; outlier detection, not the latency estimate, is what takes it out.
 */
public final class LiveEndpointStats implements EndpointStats {

  private static final VarHandle OBSERVER;

  static {
    try {
      OBSERVER = MethodHandles.lookup()
          .findVarHandle(LiveEndpointStats.class, "inFlightObserver", InFlightObserver.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Ticker ticker;
  private final double decayNanos;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong successes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong costBits = new AtomicLong(Double.doubleToRawLongBits(0.0));
  private volatile long stampNanos;
  // ln(cost) + stamp/τ of the latest observation, -∞ while cost is 0: see decayFreeLogCost().
  private volatile double decayFreeLogCost = Double.NEGATIVE_INFINITY;
  @SuppressWarnings("unused") // through OBSERVER
  private volatile InFlightObserver inFlightObserver;

  private LiveEndpointStats(Ticker ticker, Duration decay) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.decayNanos = Arguments.positive(decay, "decay").toNanos();
    this.stampNanos = ticker.read();
  }

  /** Stats with the system ticker and {@link #DEFAULT_DECAY}. */
  public static LiveEndpointStats create() {
    return new LiveEndpointStats(Ticker.system(), DEFAULT_DECAY);
  }

  /**
   * Stats reading time from {@code ticker}, with latency decay time {@code decay}.
   *
   * @throws IllegalArgumentException if {@code decay} is not positive
   */
  public static LiveEndpointStats create(Ticker ticker, Duration decay) {
    return new LiveEndpointStats(ticker, decay);
  }

  /**
   * The live stats behind {@code view}. Every {@link EndpointStats} lb4j hands out is one: {@code
   * Candidates} only holds stats it created.
   */
  public static LiveEndpointStats of(EndpointStats view) {
    return (LiveEndpointStats) view;
  }

  /** Records that a request to this endpoint started. */
  public void start() {
    inFlight.incrementAndGet();
    notifyInFlightChanged();
  }

  /**
   * Records that a request started with {@link #start()} ended. In-flight never goes below zero,
   * even if calls are unbalanced. A failure never lowers the latency estimate (see above).
   *
   * @throws IllegalArgumentException if {@code latencyNanos} is negative
   */
  public void end(boolean success, long latencyNanos) {
    end(success, latencyNanos, ticker.read());
  }

  /** {@link #end(boolean, long)} with a ticker reading the caller already took, saving one. */
  public void end(boolean success, long latencyNanos, long nowNanos) {
    if (latencyNanos < 0) {
      throw new IllegalArgumentException("latencyNanos must be >= 0, was " + latencyNanos);
    }
    decrementInFlight();
    (success ? successes : failures).incrementAndGet();
    observeLatency(latencyNanos, !success, nowNanos);
  }

  /**
   * Records that a request started with {@link #start()} was given up before it was sent: ends its
   * in-flight count and records no outcome and no latency. In-flight never goes below zero.
   */
  public void abandon() {
    decrementInFlight();
  }

  private void decrementInFlight() {
    int current;
    do {
      current = inFlight.get();
    } while (current > 0 && !inFlight.compareAndSet(current, current - 1));
    if (current > 0) {
      notifyInFlightChanged();
    }
  }

  private void notifyInFlightChanged() {
    InFlightObserver observer = (InFlightObserver) OBSERVER.getVolatile(this);
    if (observer != null) {
      observer.inFlightChanged();
    }
  }

  /**
   * For selectors that index in-flight counts (least connections): makes {@code observer} the one
   * told, on the thread that changed it, after every change of {@link #inFlight()}, replacing the
   * previous observer, which is returned (or null). One observer at a time keeps the counting path
   * to one volatile read and one call; a selector that gets replaced learns it from the returned
   * value and must stop trusting its index. Lock-free.
   */
  public InFlightObserver observeInFlight(InFlightObserver observer) {
    return (InFlightObserver) OBSERVER.getAndSet(this, Objects.requireNonNull(observer, "observer"));
  }

  /**
   * Stops telling {@code observer} about in-flight changes if it is still the current observer, so
   * that a retired selector is not kept alive by these stats. Lock-free.
   */
  public void stopObserving(InFlightObserver observer) {
    OBSERVER.compareAndSet(this, Objects.requireNonNull(observer, "observer"), null);
  }

  private void observeLatency(long latencyNanos, boolean failure, long now) {
    while (true) {
      long bits = costBits.get();
      double cost = Double.longBitsToDouble(bits);
      double next;
      if (latencyNanos > cost) {
        next = latencyNanos;
      } else if (failure) {
        // A fast 503 says nothing about how fast this endpoint serves: averaging it in, or even
        // letting the estimate decay, would send a failing endpoint more traffic than a healthy one.
        next = cost;
      } else {
        double w = decayWeight(now);
        next = cost * w + latencyNanos * (1 - w);
      }
      if (costBits.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
        // A racing observer may stamp a slightly older time; the EWMA only decays a bit less. For
        // the same reason the log cost may for an instant pair one observer's cost with another's
        // stamp, or lag the cost by one observation: a pick then ranks this endpoint by a value
        // that was true an observation ago, which the next observation corrects.
        stampNanos = now;
        decayFreeLogCost = Math.log(next) + now / decayNanos;
        return;
      }
    }
  }

  private double decayWeight(long now) {
    long elapsed = Math.max(0, now - stampNanos);
    return Math.exp(-elapsed / decayNanos);
  }

  /** Requests started and not yet ended. */
  @Override
  public int inFlight() {
    return inFlight.get();
  }

  /** The peak-EWMA latency estimate in nanoseconds, decayed to now; 0 before any observation. */
  @Override
  public double latencyNanos() {
    return Double.longBitsToDouble(costBits.get()) * decayWeight(ticker.read());
  }

  /**
   * The peak-EWMA latency estimate in nanoseconds as it stood at its last observation, without the
   * decay since; 0 before any observation. For algorithms that weigh endpoints by speed over
   * periods where some of them saw no calls: unlike {@link #latencyNanos()}, it does not make an
   * endpoint look faster the longer it has been idle.
   */
  @Override
  public double undecayedLatencyNanos() {
    return Double.longBitsToDouble(costBits.get());
  }

  /**
   * Finagle's peak-EWMA load: latency estimate × (in-flight + 1). An endpoint with no latency
   * history but requests in flight gets a large penalty plus its in-flight count, so that new
   * endpoints are probed without being flooded.
   */
  @Override
  public double load() {
    double latency = latencyNanos();
    int pending = inFlight.get();
    if (latency == 0.0 && pending > 0) {
      return UNKNOWN_LATENCY_PENALTY + pending;
    }
    return latency * (pending + 1);
  }

  /**
   * For load-aware selectors: the latency estimate with its decay factored out, {@code ln(cost) +
   * stamp / τ}, where {@code cost} is the estimate at its last observation and {@code stamp} the
   * ticker's time then; {@link Double#NEGATIVE_INFINITY} while the estimate is 0 (no history).
   * For stats that are {@link #logCostComparableWith comparable}, both decayed to the same {@code
   * now}: {@code latencyNanos()} of one is below the other's exactly when its log cost is, since
   * {@code ln latencyNanos() = decayFreeLogCost() - now / τ}; so a selector can rank endpoints by
   * it without reading the clock or calling {@code exp}. One volatile read; it may lag the
   * estimate by one racing observation.
   */
  public double decayFreeLogCost() {
    return decayFreeLogCost;
  }

  /**
   * For load-aware selectors: whether {@link #decayFreeLogCost()} of this and {@code other} may be
   * compared: same ticker instance, same decay τ, and τ at least {@link
   * #MIN_COMPARABLE_DECAY_NANOS}. The bound keeps {@code stamp / τ} precise: its rounding error,
   * about {@code |stamp| / τ × 1.1e-16}, is the relative error of a comparison of latencies; with
   * {@code System.nanoTime} (nanoseconds since boot on Linux) after a year of uptime it is 3.5e-9
   * at the default τ and 3.5e-6 at 1 ms, far below what tells two endpoints apart.
   */
  public boolean logCostComparableWith(LiveEndpointStats other) {
    Objects.requireNonNull(other, "other");
    return ticker == other.ticker && decayNanos == other.decayNanos
        && decayNanos >= MIN_COMPARABLE_DECAY_NANOS;
  }

  /**
   * Smallest decay τ, in nanoseconds, for which log costs are {@linkplain #logCostComparableWith
   * comparable}: 1 ms.
   */
  public static final long MIN_COMPARABLE_DECAY_NANOS = 1_000_000L;

  /** A load no measured endpoint reaches: 2^53 ns is about 104 days of latency. */
  public static final double UNKNOWN_LATENCY_PENALTY = 0x1.0p53;

  /** Requests ended as successes since this endpoint joined. */
  @Override
  public long successes() {
    return successes.get();
  }

  /** Requests ended as failures since this endpoint joined. */
  @Override
  public long failures() {
    return failures.get();
  }

  @Override
  public String toString() {
    return "EndpointStats{inFlight=" + inFlight() + ", latencyNanos=" + (long) latencyNanos()
        + ", successes=" + successes() + ", failures=" + failures() + "}";
  }
}
