package io.lb4j.core.discovery;

import io.lb4j.core.internal.concurrent.RetryBackoff;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * A discovery source that asks its registry again and again: it calls {@link #query()} at once on
 * start, then {@link RegistryAnswer#refreshAfter()} after each successful answer (a DNS TTL, a
 * Consul blocking query's rate limit), or after an exponentially growing, jittered backoff after
 * each failure ({@link DiscoveryOptions.Builder#backoff}). One query is in flight at a time.
 *
 * <p>{@link #query()} must not block: it starts the request and returns a stage that the registry
 * client completes (dnsjava's and OkHttp's asynchronous calls do). The answer is handled on the
 * {@link DiscoveryOptions#scheduler() scheduler}, never on the client's threads.
 */
public abstract class PollingServerList extends DiscoveryServerList {
  private final RetryBackoff backoff;

  /** @see DiscoveryServerList#DiscoveryServerList(String, DiscoveryOptions) */
  protected PollingServerList(String name, DiscoveryOptions options) {
    super(name, options);
    this.backoff = RetryBackoff.of(options);
  }

  /**
   * Starts one query and returns its answer; a failed stage (or a thrown exception) counts as a
   * failed query. Called on the scheduler, never concurrently with itself.
   */
  protected abstract CompletionStage<RegistryAnswer> query();

  @Override
  protected final void onStart() {
    schedule(this::poll, Duration.ZERO);
  }

  private void poll() {
    CompletionStage<RegistryAnswer> answer;
    try {
      answer = query();
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenCompleteAsync(this::handle, options().scheduler());
  }

  private void handle(RegistryAnswer answer, Throwable error) {
    if (error == null && answer == null) {
      error = new NullPointerException(name() + ": query() completed without an answer");
    }
    if (error == null) {
      accept(answer);
      schedule(this::poll, answer.refreshAfter());
    } else {
      int failures = fail(unwrap(error));
      if (failures > 0) {
        schedule(this::poll, Duration.ofNanos(backoff.delayNanos(failures)));
      }
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
