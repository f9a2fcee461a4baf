package io.lb4j.core.internal.concurrent;

import java.lang.ref.WeakReference;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action every period until {@link #stop()}. {@code scheduleWithFixedDelay} would end the
 * schedule silently at the first exception or error escaping the action, or when its executor is
 * shut down; here each tick first schedules the next one on the shared timer and only then runs the
 * action (through the {@link FallbackScheduler}), logging at ERROR whatever it throws. If an action
 * outlasts the period on a multi-threaded supplied executor, runs may overlap; the tracker's refresh
 * takes its lock, so they serialize. Thread-safe.
 */
public final class PeriodicTask {
  private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

  private final FallbackScheduler scheduler;
  private final Runnable action;
  private final long periodNanos;
  private final String name;
  private volatile boolean stopped;
  private volatile ScheduledFuture<?> next;

  /** @param name names the action in logs, e.g. "health refresh" */
  public PeriodicTask(FallbackScheduler scheduler, Runnable action, long periodNanos, String name) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.action = Objects.requireNonNull(action, "action");
    this.periodNanos = periodNanos;
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * A task that runs {@code action} on {@code target} while something else keeps the target
   * reachable, and stops by itself once it has been collected: a scheduler queue, which lives as
   * long as the JVM, must not pin an object its owner forgot to close. {@code action} must not
   * capture the target (pass an unbound method reference such as {@code Machine::refresh}).
   */
  public static <T> PeriodicTask whileReachable(FallbackScheduler scheduler, T target,
      Consumer<? super T> action, long periodNanos, String name) {
    Objects.requireNonNull(action, "action");
    WeakReference<T> reference = new WeakReference<>(Objects.requireNonNull(target, "target"));
    PeriodicTask[] self = new PeriodicTask[1];
    self[0] = new PeriodicTask(scheduler, () -> {
      T current = reference.get();
      if (current == null) {
        self[0].stop();
      } else {
        action.accept(current);
      }
    }, periodNanos, name);
    return self[0];
  }

  /** Schedules the first run a period from now. */
  public void start() {
    scheduleNext();
  }

  /** Cancels the next run; a run in progress finishes and schedules nothing. Idempotent. */
  public void stop() {
    stopped = true;
    ScheduledFuture<?> pending = next;
    if (pending != null) {
      pending.cancel(false);
    }
  }

  private void tick() {
    if (stopped) {
      return;
    }
    scheduleNext();
    scheduler.execute(this::runAction);
  }

  private void runAction() {
    if (stopped) {
      return;
    }
    try {
      action.run();
    } catch (Throwable e) {
      log.error("{} failed; it runs again in {} ms", name, periodNanos / 1_000_000, e);
    }
  }

  private void scheduleNext() {
    if (stopped) {
      return;
    }
    ScheduledFuture<?> scheduled = scheduler.timer(this::tick, periodNanos);
    next = scheduled;
    // stop() may have run between the check above and the assignment, and missed this future.
    if (stopped) {
      scheduled.cancel(false);
    }
  }
}
