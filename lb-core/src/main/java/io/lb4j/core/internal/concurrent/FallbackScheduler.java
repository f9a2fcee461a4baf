package io.lb4j.core.internal.concurrent;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one tracker's delayed tasks: the delays are kept by the {@link SharedScheduler}, and each
 * task runs on the tracker's own executor when the user supplied one, else on the shared thread.
 *
 * <p>A supplied executor may be shut down while the tracker still runs. Health work that silently
 * stopped would leave endpoints ejected, probed down or ramping forever, so: a task the executor
 * refuses runs on the shared thread instead (warned once), and so do, at the next timer of this
 * tracker, tasks it had accepted but never started, which {@code shutdownNow()} drops from its
 * queue. Each task runs at most once either way. Thread-safe.
 */
public final class FallbackScheduler {
  private static final Logger log = LoggerFactory.getLogger(FallbackScheduler.class);

  private final ScheduledExecutorService executor;
  private final boolean shared;
  private final String owner;
  private final Set<Handoff> handedOff = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean warned = new AtomicBoolean();

  /**
   * @param executor where tasks run: {@link SharedScheduler#get()} or one the user supplied
   * @param owner names the tracker in the warning
   */
  public FallbackScheduler(ScheduledExecutorService executor, String owner) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.shared = executor == SharedScheduler.get();
    this.owner = Objects.requireNonNull(owner, "owner");
  }

  /**
   * Runs {@code task} on the executor once, after {@code delayNanos}; cancelling the future before
   * then stops it.
   */
  public ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    if (shared) {
      return SharedScheduler.get().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }
    return timer(() -> execute(task), delayNanos);
  }

  /**
   * Runs {@code tick} on the shared thread after {@code delayNanos}; a tick must be quick and
   * should {@link #execute} any real work.
   */
  public ScheduledFuture<?> timer(Runnable tick, long delayNanos) {
    return SharedScheduler.get().schedule(() -> {
      rescueDroppedTasks();
      tick.run();
    }, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** Runs {@code task} on the executor: at once (inline) if that is the shared thread. */
  public void execute(Runnable task) {
    if (shared) {
      task.run();
      return;
    }
    Handoff handoff = new Handoff(task);
    handedOff.add(handoff);
    try {
      executor.execute(handoff);
    } catch (RejectedExecutionException e) {
      warnOnce(e);
      handoff.run();
    }
  }

  private void rescueDroppedTasks() {
    if (shared || !executor.isShutdown() || handedOff.isEmpty()) {
      return;
    }
    warnOnce(null);
    for (Handoff handoff : handedOff) {
      handoff.run();
    }
  }

  private void warnOnce(RejectedExecutionException e) {
    if (warned.compareAndSet(false, true)) {
      log.warn("{}: the supplied scheduler was shut down; its health work runs on the shared {} "
          + "thread from now on. Close the health tracker to stop it.", owner,
          SharedScheduler.THREAD_NAME, e);
    }
  }

  /** A task on the supplied executor, run by whoever claims it first: the executor or a rescue. */
  private final class Handoff implements Runnable {
    private final Runnable task;
    private final AtomicBoolean claimed = new AtomicBoolean();

    Handoff(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      if (claimed.compareAndSet(false, true)) {
        handedOff.remove(this);
        task.run();
      }
    }
  }
}
