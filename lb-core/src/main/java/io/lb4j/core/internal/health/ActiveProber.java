package io.lb4j.core.internal.health;

import io.lb4j.core.HealthCheck;
import io.lb4j.core.RandomSource;
import io.lb4j.core.internal.concurrent.FallbackScheduler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link HealthCheck} against each member on a scheduler: one probe at a time per endpoint,
 * the next one a jittered interval after the previous one finished, each bounded by a timeout.
 * Jitter (interval ± a percentage, drawn from a {@link RandomSource}) keeps a fleet of clients from
 * probing in lockstep. Results go to a {@link Sink}; probes of a removed endpoint stop, and only
 * they: a check or a sink that throws, even an {@link Error}, counts as a failed probe or is logged,
 * and the next probe is scheduled all the same.
 */
public final class ActiveProber {
  private static final Logger log = LoggerFactory.getLogger(ActiveProber.class);

  /** Receives probe results, on the scheduler's or the check's thread. */
  @FunctionalInterface
  public interface Sink {
    void onProbe(EndpointHealthState state, boolean healthy, String detail);
  }

  private final HealthCheck check;
  private final FallbackScheduler scheduler;
  private final long intervalNanos;
  private final long timeoutNanos;
  private final int jitterPercent;
  private final RandomSource random;
  private final Sink sink;

  public ActiveProber(HealthCheck check, FallbackScheduler scheduler, long intervalNanos,
      long timeoutNanos, int jitterPercent, RandomSource random, Sink sink) {
    this.check = check;
    this.scheduler = scheduler;
    this.intervalNanos = intervalNanos;
    this.timeoutNanos = timeoutNanos;
    this.jitterPercent = jitterPercent;
    this.random = random;
    this.sink = sink;
  }

  /** Starts probing {@code state}'s endpoint; the first probe comes after a random fraction of an interval. */
  public void start(EndpointHealthState state) {
    schedule(state, (long) (random.nextDouble() * intervalNanos));
  }

  /**
   * The delay before the next probe: {@code interval × (1 + jitter × u)} for u uniform in
   * [-1, 1), drawn from the random source.
   */
  public static long jittered(long intervalNanos, int jitterPercent, RandomSource random) {
    double u = 2 * random.nextDouble() - 1;
    return Math.max(1, Math.round(intervalNanos * (1 + jitterPercent / 100.0 * u)));
  }

  private void schedule(EndpointHealthState state, long delayNanos) {
    if (state.removed()) {
      return;
    }
    try {
      state.probe(scheduler.schedule(() -> probe(state), delayNanos));
    } catch (RejectedExecutionException e) {
      log.error("health probes of {} stop: no scheduler accepts them", state.endpoint().id(), e);
    }
  }

  private void probe(EndpointHealthState state) {
    if (state.removed()) {
      return;
    }
    try {
      start(state, startCheck(state));
    } catch (Throwable e) {
      log.error("health probe of {} could not start; the next one comes an interval later",
          state.endpoint().id(), e);
      schedule(state, jittered(intervalNanos, jitterPercent, random));
    }
  }

  private CompletionStage<Boolean> startCheck(EndpointHealthState state) {
    try {
      CompletionStage<Boolean> stage = check.check(state.endpoint());
      return stage != null ? stage
          : CompletableFuture.failedFuture(new NullPointerException(check + " returned null"));
    } catch (Throwable e) {
      // Even an Error: one broken probe must not end the endpoint's probing for good.
      return CompletableFuture.failedFuture(e);
    }
  }

  private void start(EndpointHealthState state, CompletionStage<Boolean> started) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    ScheduledFuture<?> timeout = scheduler.schedule(() -> {
      if (result.completeExceptionally(new TimeoutException(
          "no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"))) {
        cancel(started);
      }
    }, timeoutNanos);
    started.whenComplete((healthy, failure) -> {
      if (failure != null) {
        result.completeExceptionally(failure);
      } else {
        result.complete(Boolean.TRUE.equals(healthy));
      }
    });
    result.whenComplete((healthy, failure) -> {
      timeout.cancel(false);
      boolean up = failure == null && healthy;
      String detail = failure != null ? String.valueOf(failure) : up ? "probe passed" : "probe said unhealthy";
      try {
        sink.onProbe(state, up, detail);
      } catch (Throwable e) {
        log.error("recording the probe of {} failed", state.endpoint().id(), e);
      } finally {
        schedule(state, jittered(intervalNanos, jitterPercent, random));
      }
    });
  }

  private static void cancel(CompletionStage<Boolean> stage) {
    try {
      stage.toCompletableFuture().cancel(false);
    } catch (UnsupportedOperationException ignored) {
      // The check's stage cannot be cancelled; its late result is simply ignored.
    }
  }
}
