package io.lb4j.core.internal.concurrent;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The one daemon thread, {@value #THREAD_NAME}, that runs the periodic work (refreshes, probe
 * scheduling, probe timeouts) of every {@link io.lb4j.core.HealthTracker} not given a scheduler of
 * its own, as Caffeine and gRPC share one timer among all their caches and channels: a service with
 * 40 balancers has one such thread, not 40. Created on first use, never shut down (a daemon thread
 * does not keep the JVM alive, and nothing outside lb4j can reach this executor to shut it down).
 *
 * <p>Tasks must not block: a probe only starts its check, whose answer arrives on another thread.
 * Thread-safe.
 */
public final class SharedScheduler {
  /** The name of the shared thread. */
  public static final String THREAD_NAME = "lb4j-scheduler";

  private SharedScheduler() {}

  /** The shared scheduler, started on the first call. */
  public static ScheduledExecutorService get() {
    return Holder.EXECUTOR;
  }

  /** Tasks waiting in the shared scheduler's queue now; for tests and diagnostics. */
  public static int queuedTasks() {
    return Holder.EXECUTOR.getQueue().size();
  }

  /** Lazy initialization by class loading: the executor exists once something asks for it. */
  private static final class Holder {
    static final ScheduledThreadPoolExecutor EXECUTOR = newDaemonScheduler(THREAD_NAME);
  }

  /**
   * A one-thread scheduler on a daemon thread named {@code threadName}, for lb4j's shared timers.
   * Cancelled tasks leave the queue at once (probe timeouts and closed trackers' or sources' tasks
   * are cancelled all the time), so the queue holds no reference to a closed owner.
   */
  static ScheduledThreadPoolExecutor newDaemonScheduler(String threadName) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, threadName);
      thread.setDaemon(true);
      return thread;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
