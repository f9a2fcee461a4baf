package io.lb4j.okhttp.internal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;

/**
 * The executor of a wrapped client's dispatcher: runs on the original client's threads and marks
 * them while they run an enqueued call, so that the interceptor knows not to wait there (a waiting
 * dispatcher thread holds one of the client's {@code maxRequests} slots doing nothing).
 */
public final class DispatcherThreads extends AbstractExecutorService {
  private static final ThreadLocal<Boolean> RUNNING_CALL = new ThreadLocal<>();

  private final ExecutorService delegate;

  private DispatcherThreads(ExecutorService delegate) {
    this.delegate = delegate;
  }

  /**
   * A dispatcher on {@code original}'s threads with its overall cap, whose per-host cap is lifted
   * to that overall cap: OkHttp counts calls per host of the URL, which for a balanced call is the
   * logical host of a whole fleet.
   */
  public static Dispatcher dispatcherLike(Dispatcher original) {
    Objects.requireNonNull(original, "original");
    Dispatcher dispatcher = new Dispatcher(new DispatcherThreads(original.executorService()));
    dispatcher.setMaxRequests(original.getMaxRequests());
    dispatcher.setMaxRequestsPerHost(original.getMaxRequests());
    return dispatcher;
  }

  /** A dispatcher on {@code original}'s threads with no cap on calls: for hedged attempts. */
  public static Dispatcher unlimitedLike(Dispatcher original) {
    Objects.requireNonNull(original, "original");
    Dispatcher dispatcher = new Dispatcher(original.executorService());
    dispatcher.setMaxRequests(Integer.MAX_VALUE);
    dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
    return dispatcher;
  }

  /** Whether the current thread is running an enqueued call of a wrapped client. */
  public static boolean isCurrentThread() {
    return RUNNING_CALL.get() != null;
  }

  @Override
  public void execute(Runnable command) {
    Objects.requireNonNull(command, "command");
    delegate.execute(() -> {
      RUNNING_CALL.set(Boolean.TRUE);
      try {
        command.run();
      } finally {
        RUNNING_CALL.remove();
      }
    });
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    return delegate.shutdownNow();
  }

  @Override
  public boolean isShutdown() {
    return delegate.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return delegate.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return delegate.awaitTermination(timeout, unit);
  }
}
