package io.lb4j.okhttp.internal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

  /**
   * A dispatcher with no cap on calls, on lb4j's own threads: for hedged attempts. Not on the
   * original's threads: a hedged {@code enqueue()}d call holds its dispatcher thread while its
   * attempts run, so with a bounded executor (a user's fixed pool) the calls would take every
   * thread and their attempts would wait behind them for ever.
   */
  public static Dispatcher forHedgedAttempts() {
    Dispatcher dispatcher = new Dispatcher(AttemptThreads.POOL);
    dispatcher.setMaxRequests(Integer.MAX_VALUE);
    dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
    return dispatcher;
  }

  /**
   * The threads of hedged attempts, shared by every wrapped client and started on first use: a
   * cached pool of daemon threads (as OkHttp's own dispatcher has), idle ones ending after 60 s.
   */
  private static final class AttemptThreads {
    private static final AtomicInteger NUMBER = new AtomicInteger();
    static final ExecutorService POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60,
        TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "lb4j-hedged-attempt-" + NUMBER.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
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
