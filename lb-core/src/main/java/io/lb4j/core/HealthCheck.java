package io.lb4j.core;

import io.lb4j.core.internal.health.TcpConnectHealthCheck;
import java.util.concurrent.CompletionStage;

/**
 * An active probe of one endpoint, run periodically by a {@link HealthTracker} configured with
 * {@link HealthTracker.Builder#healthCheck}. The TCP check lives here; protocol-aware checks (an
 * HTTP {@code GET /health} through OkHttp, for example) implement the same interface elsewhere.
 *
 * <p>Contract: {@link #check} starts the probe and returns at once; the stage completes with
 * {@code true} if the endpoint is healthy, and with {@code false} or exceptionally if not (the
 * exception's message is logged as the reason). The tracker applies its own timeout: a stage that
 * has not completed by then counts as a failure, and the tracker then cancels
 * {@code stage.toCompletableFuture()} (if supported), so an implementation that returns a
 * {@link java.util.concurrent.CompletableFuture} can release its connection when it sees the
 * cancellation. {@code check} itself should not block; it may be called concurrently for different
 * endpoints, from the tracker's scheduler thread. An exception thrown by {@code check} counts as a
 * failed probe.
 */
@FunctionalInterface
public interface HealthCheck {

  /** Starts one probe of {@code endpoint}. */
  CompletionStage<Boolean> check(Endpoint endpoint);

  /**
   * A probe that succeeds when a TCP connection to the endpoint's host and port is established, and
   * closes it at once. Non-blocking (an {@link java.nio.channels.AsynchronousSocketChannel}); a
   * host name that is not an IP literal is resolved afresh for each probe on a small pool of
   * daemon threads, never on the calling (scheduler) thread, so a slow DNS server holds up no
   * other probe or refresh.
   */
  static HealthCheck tcpConnect() {
    return TcpConnectHealthCheck.INSTANCE;
  }
}
