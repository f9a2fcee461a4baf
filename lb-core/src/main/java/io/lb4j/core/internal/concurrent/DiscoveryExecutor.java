package io.lb4j.core.internal.concurrent;

import java.util.concurrent.ScheduledExecutorService;

/**
 * The one scheduler thread, {@value #THREAD_NAME}, that all discovery sources of a process share by
 * default. Sources query their registries asynchronously and only hop onto this thread to handle an
 * answer and set the next timer, so one daemon thread serves any number of sources. It is not the
 * health trackers' {@link SharedScheduler}: a slow registry answer or the rebuild it triggers never
 * delays a probe, and health checks never run here.
 */
public final class DiscoveryExecutor {
  /** The name of the shared discovery thread. */
  public static final String THREAD_NAME = "lb4j-discovery";

  private DiscoveryExecutor() {}

  /** The shared scheduler, created on first use; never shut down (its thread is a daemon). */
  public static ScheduledExecutorService shared() {
    return Holder.SHARED;
  }

  /** Lazy initialization by class loading: the executor exists once something asks for it. */
  private static final class Holder {
    static final ScheduledExecutorService SHARED =
        SharedScheduler.newDaemonScheduler(THREAD_NAME);
  }
}
