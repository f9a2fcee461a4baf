package io.lb4j.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ScheduledExecutorService} on virtual time, for discovery tests: give it to a source
 * through {@link io.lb4j.core.discovery.DiscoveryOptions.Builder#scheduler} (and {@link #clock()}
 * through {@code clock}) and the test decides when the source's timers fire. {@link #execute} runs
 * the task at once on the calling thread; {@link #schedule} queues it until the test moves time
 * with {@link #runNext()} or {@link #advance}. {@link #clock()} reads the same virtual time, which
 * starts at 2026-01-01T00:00:00Z.
 *
 * <p>Thread-safe (registry clients schedule from their own threads); tasks run on the thread that
 * moves time (the test's), outside the scheduler's lock. Periodic scheduling, {@code Callable}s
 * and a returned future's {@code get} throw {@link UnsupportedOperationException}; shutting down
 * does nothing (the scheduler owns no thread), so it is never terminated.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private final List<Task> queue = new ArrayList<>();
  private long nowNanos;
  private long sequence;
  private long scheduledCount;

  /** Creates a scheduler at virtual time zero with nothing pending. */
  public ManualScheduler() {}

  /**
   * A clock that shows the virtual time, in UTC.
   *
   * @return a clock that follows this scheduler; {@code withZone} is not supported
   */
  public Clock clock() {
    ManualScheduler scheduler = this;
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Instant instant() {
        return EPOCH.plusNanos(scheduler.nowNanos());
      }
    };
  }

  /**
   * The virtual time elapsed since this scheduler was created.
   *
   * @return nanoseconds, never negative
   */
  public synchronized long nowNanos() {
    return nowNanos;
  }

  /**
   * How many tasks were ever scheduled (with a delay); tests wait on it to see a loop step end.
   *
   * @return the count, cancelled and already run tasks included
   */
  public synchronized long scheduledCount() {
    return scheduledCount;
  }

  /**
   * Pending, uncancelled delayed tasks.
   *
   * @return how many tasks wait for time to move
   */
  public synchronized int pending() {
    queue.removeIf(Task::isCancelled);
    return queue.size();
  }

  /**
   * The delay from now to the earliest pending task, if any.
   *
   * @return the delay (zero if the task is due), or empty if nothing is pending
   */
  public synchronized Optional<Duration> nextDelay() {
    queue.removeIf(Task::isCancelled);
    return queue.stream().min(Comparator.naturalOrder())
        .map(task -> Duration.ofNanos(task.dueNanos - nowNanos));
  }

  /**
   * Moves time to the earliest pending task and runs it on the calling thread.
   *
   * @return the delay that was skipped
   * @throws IllegalStateException if nothing is pending
   */
  public Duration runNext() {
    Task task;
    long skipped;
    synchronized (this) {
      queue.removeIf(Task::isCancelled);
      task = queue.stream().min(Comparator.naturalOrder())
          .orElseThrow(() -> new IllegalStateException("no task pending"));
      queue.remove(task);
      skipped = Math.max(0, task.dueNanos - nowNanos);
      nowNanos = Math.max(nowNanos, task.dueNanos);
    }
    task.run();
    return Duration.ofNanos(skipped);
  }

  /**
   * Moves time forward by {@code duration}, running every task that falls due on the calling
   * thread, in order of due time (then of scheduling), tasks they schedule included.
   *
   * @param duration how far to move, zero or more
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must be >= 0, was " + duration);
    }
    long target;
    synchronized (this) {
      target = nowNanos + duration.toNanos();
    }
    while (true) {
      Task due;
      synchronized (this) {
        queue.removeIf(Task::isCancelled);
        due = queue.stream().filter(task -> task.dueNanos <= target)
            .min(Comparator.naturalOrder()).orElse(null);
        if (due == null) {
          nowNanos = target;
          return;
        }
        queue.remove(due);
        nowNanos = Math.max(nowNanos, due.dueNanos);
      }
      due.run();
    }
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(unit, "unit");
    Task task = new Task(command, nowNanos + Math.max(0, unit.toNanos(delay)), sequence++);
    queue.add(task);
    scheduledCount++;
    return task;
  }

  @Override
  public void execute(Runnable command) {
    Objects.requireNonNull(command, "command");
    command.run();
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period,
      TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
      TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void shutdown() {}

  @Override
  public List<Runnable> shutdownNow() {
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return false;
  }

  private static final int PENDING = 0;
  private static final int RAN = 1;
  private static final int CANCELLED = 2;

  private final class Task implements ScheduledFuture<Object>, Runnable {
    private final Runnable command;
    private final long dueNanos;
    private final long order;
    // PENDING until it runs or is cancelled, whichever comes first: one compare-and-set decides.
    private final AtomicInteger state = new AtomicInteger(PENDING);

    Task(Runnable command, long dueNanos, long order) {
      this.command = command;
      this.dueNanos = dueNanos;
      this.order = order;
    }

    @Override
    public void run() {
      if (state.compareAndSet(PENDING, RAN)) {
        command.run();
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - nowNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Task that = (Task) other;
      int byTime = Long.compare(dueNanos, that.dueNanos);
      return byTime != 0 ? byTime : Long.compare(order, that.order);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return state.compareAndSet(PENDING, CANCELLED);
    }

    @Override
    public boolean isCancelled() {
      return state.get() == CANCELLED;
    }

    @Override
    public boolean isDone() {
      return state.get() != PENDING;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }
  }
}
