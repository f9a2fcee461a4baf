package io.lb4j.core.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The one scheduler thread that all discovery sources of a process share by default. Sources query
 * their registries asynchronously and only hop onto this thread to handle an answer and set the
 * next timer, so one daemon thread serves any number of sources; it never runs health checks.
 */
public final class DiscoveryExecutor {
  private DiscoveryExecutor() {}

  /** The shared scheduler, created on first use; never shut down (its thread is a daemon). */
  public static ScheduledExecutorService shared() {
    return Holder.SHARED;
  }

  private static final class Holder {
    static final ScheduledExecutorService SHARED = create();

    private static ScheduledExecutorService create() {
      ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "lb4j-discovery");
        thread.setDaemon(true);
        return thread;
      });
      // Sources cancel their timers on close; don't keep cancelled ones queued until they fire.
      executor.setRemoveOnCancelPolicy(true);
      return executor;
    }
  }
}
