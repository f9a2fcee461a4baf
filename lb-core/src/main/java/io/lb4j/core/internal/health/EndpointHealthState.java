package io.lb4j.core.internal.health;

import io.lb4j.core.Endpoint;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the health tracker knows about one member: the per-request counters, updated lock-free on
 * every call, and the verdicts (ejection, probe, external detectors' soft verdicts, operators' hard
 * marks, slow-start ramp), changed only under the tracker's lock and published through volatile
 * fields so that eligibility reads take no lock. One instance per member; a member that leaves and
 * comes back gets a new one.
 *
 * <p>Soft verdicts (ejection, probes down, detectors' reports) take the endpoint out only while
 * they are {@linkplain #benched() in force}: the tracker puts at most its ejection budget of
 * members in force and leaves the rest eligible. Hard marks always take it out.
 */
public final class EndpointHealthState {
  /** Which passive rule an outcome tripped. */
  public enum Trip { NONE, CONSECUTIVE_FAILURES, FAILURE_RATE }

  /** {@link #rampStart} when the endpoint is not ramping. */
  public static final long NOT_RAMPING = Long.MIN_VALUE;

  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final FailureWindow window;
  private volatile Endpoint endpoint;

  // Written under the tracker's lock; volatile where read without it.
  private volatile boolean ejected;
  private volatile long ejectedUntil;
  private int ejections;
  private long healthySince;
  private boolean refusalLogged;
  private volatile boolean probeDown;
  private int probeSuccesses;
  private int probeFailures;
  private final SourceHolds marks = new SourceHolds();
  private final SourceHolds verdicts = new SourceHolds();
  private volatile boolean benched;
  private volatile long rampStart = NOT_RAMPING;
  private volatile int rampStep = SlowStartRamp.STEPS;
  private volatile ScheduledFuture<?> probe;
  private volatile boolean removed;

  public EndpointHealthState(Endpoint endpoint, FailureWindow window, long nowNanos) {
    this.endpoint = endpoint;
    this.window = window;
    this.healthySince = nowNanos;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  public void endpoint(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  /**
   * Counts one call outcome; lock-free and allocation-free. Returns the rule it trips, if any:
   * {@code consecutiveLimit} failures in a row (0 disables), or the window's failure rate reaching
   * {@code ratePercent} over at least {@code minRequests} (rate 0 disables).
   */
  public Trip record(boolean success, long nowNanos, int consecutiveLimit, int ratePercent,
      int minRequests) {
    if (ratePercent > 0) {
      window.record(nowNanos, !success);
    }
    if (success) {
      // Read first: a successful endpoint's counter is usually already 0, and a plain read keeps
      // its cache line shared between the cores that record outcomes.
      if (consecutiveFailures.get() != 0) {
        consecutiveFailures.set(0);
      }
      return Trip.NONE;
    }
    int inARow = consecutiveFailures.incrementAndGet();
    if (ejected) {
      return Trip.NONE;
    }
    if (consecutiveLimit > 0 && inARow >= consecutiveLimit) {
      return Trip.CONSECUTIVE_FAILURES;
    }
    if (ratePercent > 0 && window.failureRateReached(nowNanos, minRequests, ratePercent)) {
      return Trip.FAILURE_RATE;
    }
    return Trip.NONE;
  }

  public int consecutiveFailures() {
    return consecutiveFailures.get();
  }

  public FailureWindow window() {
    return window;
  }

  /** Whether this endpoint may take traffic (ignoring panic mode). */
  public boolean available() {
    return marks.isEmpty() && !(benched && softlyRemoved());
  }

  /** Whether some automatic verdict (ejection, probes, a detector's report) wants it out. */
  public boolean softlyRemoved() {
    return ejected || probeDown || !verdicts.isEmpty();
  }

  /** Whether its soft removal is in force, counted against the ejection budget. */
  public boolean benched() {
    return benched && softlyRemoved();
  }

  /**
   * Whether its soft removal was put in force and not taken back yet, even if every verdict has
   * ended since: the endpoint is then coming back.
   */
  public boolean wasBenched() {
    return benched;
  }

  /** Puts its soft removal in force, or not; returns true if that changed. */
  public boolean bench(boolean inForce) {
    boolean before = benched();
    benched = inForce;
    return before != benched();
  }

  /** Forgets every per-request count: the endpoint comes back with a clean slate. */
  public void resetCounters() {
    consecutiveFailures.set(0);
    window.clear();
  }

  public boolean ejected() {
    return ejected;
  }

  public long ejectedUntil() {
    return ejectedUntil;
  }

  public int ejections() {
    return ejections;
  }

  /** Ejects until {@code until}. */
  public void eject(long until, int multiplier) {
    ejections = multiplier;
    ejectedUntil = until;
    ejected = true;
    refusalLogged = false;
    resetCounters();
  }

  public void unEject(long nowNanos) {
    ejected = false;
    healthySince = nowNanos;
  }

  /** When the endpoint last came back from ejection (or was first seen). */
  public long healthySince() {
    return healthySince;
  }

  /** Returns true the first time a refused ejection is noted since the last ejection. */
  public boolean noteRefusal() {
    boolean first = !refusalLogged;
    refusalLogged = true;
    return first;
  }

  public boolean probeDown() {
    return probeDown;
  }

  /**
   * Counts one probe result; returns true if it flips {@link #probeDown()}: {@code unhealthy}
   * failures in a row take the endpoint down, {@code healthy} successes in a row bring it back.
   */
  public boolean recordProbe(boolean success, int healthy, int unhealthy) {
    if (success) {
      probeFailures = 0;
      if (probeDown && ++probeSuccesses >= healthy) {
        probeDown = false;
        probeSuccesses = 0;
        return true;
      }
    } else {
      probeSuccesses = 0;
      if (!probeDown && ++probeFailures >= unhealthy) {
        probeDown = true;
        probeFailures = 0;
        return true;
      }
    }
    return false;
  }

  /** Every source marking this endpoint unavailable; change only under the tracker's lock. */
  SourceHolds marks() {
    return marks;
  }

  /** Whether any source marks this endpoint unavailable. */
  public boolean marked() {
    return !marks.isEmpty();
  }

  /** Every detector reporting this endpoint unhealthy; change only under the tracker's lock. */
  SourceHolds verdicts() {
    return verdicts;
  }

  public long rampStart() {
    return rampStart;
  }

  public int rampStep() {
    return rampStep;
  }

  public void startRamp(long nowNanos) {
    rampStart = nowNanos;
    rampStep = 0;
  }

  /** Moves the ramp to {@code step}; returns true if the step changed. */
  public boolean rampTo(int step) {
    if (step >= SlowStartRamp.STEPS) {
      rampStart = NOT_RAMPING;
    }
    if (step == rampStep) {
      return false;
    }
    rampStep = step;
    return true;
  }

  public boolean ramping() {
    return rampStart != NOT_RAMPING;
  }

  public ScheduledFuture<?> probe() {
    return probe;
  }

  public void probe(ScheduledFuture<?> probe) {
    this.probe = probe;
  }

  /** Whether the endpoint left the membership: its probes stop and its results are ignored. */
  public boolean removed() {
    return removed;
  }

  public void remove() {
    removed = true;
    ScheduledFuture<?> current = probe;
    if (current != null) {
      current.cancel(false);
    }
  }
}
