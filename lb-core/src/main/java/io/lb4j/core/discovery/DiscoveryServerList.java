package io.lb4j.core.discovery;

import io.lb4j.core.Endpoint;
import io.lb4j.core.MutableServerList;
import io.lb4j.core.ServerList;
import io.lb4j.core.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of every discovery source: a {@link ServerList} that follows a registry. It owns the
 * list, readiness, the initial-wait timeout, the empty-answer policy and the {@link
 * DiscoveryStatus}; a source only turns its registry's answers into {@link RegistryAnswer}s and
 * hands them to {@link #accept}, or reports a failed query to {@link #fail}. Sources that poll
 * extend {@link PollingServerList}, which adds the query loop and backoff; sources that receive
 * pushed updates (watches) extend this class directly.
 *
 * <p>The rules every source follows:
 * <ul>
 *   <li><b>Readiness.</b> Not {@link #isReady() ready} until the first successful answer is
 *       published; {@link #whenReady()} futures fail with a {@link TimeoutException} naming the
 *       source and its last error if that takes longer than {@link DiscoveryOptions#initialWait()}.
 *       The source keeps trying and turns ready when the registry answers.
 *   <li><b>Failures keep the last known list.</b> {@link #fail} never changes the membership; it
 *       only updates the status and logs a WARN.
 *   <li><b>Empty answers</b> follow {@link DiscoveryOptions#emptyAnswers()}: by default the last
 *       non-empty list stays, with a WARN.
 *   <li><b>Bad entries</b> are skipped one by one at the border ({@link RegistryAnswer.Builder}).
 * </ul>
 *
 * <p>Thread-safe. Membership changes are published on the thread that calls {@link #accept} (the
 * scheduler's, for polling sources), under this list's lock; listeners must not call back into
 * it. A subclass calls {@link #start()} once its own fields are set, usually at the end of its
 * builder's {@code build()}. {@link #close()} stops timers and queries; it does not shut down the
 * shared scheduler.
 */
public abstract class DiscoveryServerList implements ServerList, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DiscoveryServerList.class);

  private final String name;
  private final DiscoveryOptions options;
  private final MutableServerList list = MutableServerList.awaitingSync();
  private final CompletableFuture<Void> initialSync = new CompletableFuture<>();
  private final Object lock = new Object();
  private volatile DiscoveryStatus status;
  // Guarded by lock.
  private boolean started;
  private boolean closed;
  private ScheduledFuture<?> initialWaitTimer;
  private ScheduledFuture<?> nextTask;

  /**
   * @param name names the source in logs, errors and {@link DiscoveryStatus#source()}, e.g.
   *     {@code "consul service orders"}; not blank
   * @param options the shared discovery settings
   */
  protected DiscoveryServerList(String name, DiscoveryOptions options) {
    this.name = Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
    }
    this.options = Objects.requireNonNull(options, "options");
    this.status = DiscoveryStatus.initial(name);
  }

  /** The name given at construction. */
  public final String name() {
    return name;
  }

  /** The options this source runs with. */
  public final DiscoveryOptions options() {
    return options;
  }

  /** The current status; never null. */
  public final DiscoveryStatus status() {
    return status;
  }

  @Override
  public final List<Endpoint> endpoints() {
    return list.endpoints();
  }

  @Override
  public final Subscription subscribe(Listener listener) {
    return list.subscribe(listener);
  }

  @Override
  public final boolean isReady() {
    return list.isReady();
  }

  /**
   * Completes when the initial sync is published, or fails with a {@link TimeoutException} after
   * {@link DiscoveryOptions#initialWait()} (or with an {@link IllegalStateException} if the source
   * is closed first). Once ready, every call returns a completed future.
   */
  @Override
  public final CompletableFuture<Void> whenReady() {
    return list.isReady() ? CompletableFuture.completedFuture(null) : initialSync.copy();
  }

  /**
   * Starts following the registry: arms the initial-wait timer and calls {@link #onStart()}.
   *
   * @throws IllegalStateException if called twice
   */
  protected final void start() {
    synchronized (lock) {
      if (started) {
        throw new IllegalStateException(name + " already started");
      }
      started = true;
      if (closed) {
        return;
      }
      initialWaitTimer = options.scheduler().schedule(
          this::initialWaitExpired, options.initialWait().toNanos(), TimeUnit.NANOSECONDS);
    }
    onStart();
  }

  /** Begins querying or watching; called once by {@link #start()}, outside this list's lock. */
  protected abstract void onStart();

  /** Releases the source's own resources (clients, watches); called once by {@link #close()}. */
  protected void onClose() {}

  /**
   * Publishes a successful answer, subject to the empty-answer policy, and completes the initial
   * sync if it was pending. Ignored after {@link #close()}.
   */
  protected final void accept(RegistryAnswer answer) {
    Objects.requireNonNull(answer, "answer");
    List<Endpoint> next = answer.endpoints();
    synchronized (lock) {
      if (closed) {
        return;
      }
      List<Endpoint> current = list.endpoints();
      if (next.isEmpty() && !current.isEmpty()
          && options.emptyAnswers() == EmptyAnswerPolicy.KEEP_LAST_NON_EMPTY) {
        log.warn("{}: the registry answered with no usable endpoint; keeping the last {} "
            + "(emptyAnswers=KEEP_LAST_NON_EMPTY)", name, current.size());
      } else if (list.replaceAll(next)) {
        log.debug("{}: {} endpoints now", name, next.size());
      }
      status = status.succeeded(options.clock().instant(), answer.skipped(), list.endpoints().size());
      if (list.markReady()) {
        log.info("{}: initial sync complete, {} endpoints", name, list.endpoints().size());
        initialSync.complete(null);
        cancel(initialWaitTimer);
      }
    }
  }

  /**
   * Records a failed query: the list stays as it is, the status counts the failure, and a WARN
   * names the source and the cause. Returns the number of consecutive failures, or 0 if closed.
   */
  protected final int fail(Throwable cause) {
    Objects.requireNonNull(cause, "cause");
    DiscoveryStatus failed;
    synchronized (lock) {
      if (closed) {
        return 0;
      }
      failed = status.failed(options.clock().instant(), cause);
      status = failed;
    }
    log.warn("{}: registry query failed ({} in a row); keeping the last {} endpoints: {}",
        name, failed.consecutiveFailures(), failed.endpoints(), cause.toString());
    return failed.consecutiveFailures();
  }

  /**
   * Runs {@code task} on the scheduler after {@code delay}, unless closed by then; the pending
   * task is cancelled by {@link #close()}. A task that throws is logged, not lost silently.
   */
  protected final void schedule(Runnable task, Duration delay) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(delay, "delay");
    synchronized (lock) {
      if (closed) {
        return;
      }
      nextTask = options.scheduler().schedule(
          () -> runUnlessClosed(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void runUnlessClosed(Runnable task) {
    synchronized (lock) {
      if (closed) {
        return;
      }
    }
    try {
      task.run();
    } catch (RuntimeException e) {
      log.error("{}: scheduled task failed", name, e);
    }
  }

  /** Whether {@link #close()} was called. */
  protected final boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  private void initialWaitExpired() {
    synchronized (lock) {
      if (closed || list.isReady()) {
        return;
      }
    }
    DiscoveryStatus current = status;
    TimeoutException timeout = new TimeoutException(name + ": initial sync not complete within "
        + "initialWait " + options.initialWait() + " ("
        + current.lastError().map(e -> current.consecutiveFailures() + " failed queries, last: " + e)
            .orElse("no answer yet") + ")");
    current.lastError().ifPresent(timeout::initCause);
    log.warn("{}", timeout.getMessage());
    initialSync.completeExceptionally(timeout);
  }

  /**
   * Stops following the registry: cancels timers, fails pending {@link #whenReady()} futures with
   * an {@link IllegalStateException}, then calls {@link #onClose()}. The list keeps its last
   * membership. Closing twice is harmless.
   */
  @Override
  public final void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      cancel(initialWaitTimer);
      cancel(nextTask);
    }
    initialSync.completeExceptionally(
        new IllegalStateException(name + ": closed before the initial sync completed"));
    onClose();
  }

  private static void cancel(ScheduledFuture<?> future) {
    if (future != null) {
      future.cancel(false);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + name + ", " + list.endpoints().size() + " endpoints, "
        + "ready=" + isReady() + "}";
  }
}
