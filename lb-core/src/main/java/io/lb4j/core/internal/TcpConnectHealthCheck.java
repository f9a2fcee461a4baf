package io.lb4j.core.internal;

import io.lb4j.core.Endpoint;
import io.lb4j.core.HealthCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link HealthCheck#tcpConnect()}: healthy when a TCP connection opens. The channel is closed as
 * soon as the returned future completes in any way, including when the tracker cancels it on
 * timeout, so a black-holed endpoint does not hold a socket until the OS gives up.
 */
public enum TcpConnectHealthCheck implements HealthCheck {
  INSTANCE;

  private static final CompletionHandler<Void, CompletableFuture<Boolean>> HANDLER =
      new CompletionHandler<>() {
        @Override
        public void completed(Void result, CompletableFuture<Boolean> future) {
          future.complete(Boolean.TRUE);
        }

        @Override
        public void failed(Throwable cause, CompletableFuture<Boolean> future) {
          future.completeExceptionally(cause);
        }
      };

  @Override
  public CompletionStage<Boolean> check(Endpoint endpoint) {
    CompletableFuture<Boolean> future = new CompletableFuture<>();
    AsynchronousSocketChannel channel;
    try {
      channel = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      future.completeExceptionally(e);
      return future;
    }
    future.whenComplete((healthy, failure) -> closeQuietly(channel));
    try {
      channel.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), future, HANDLER);
    } catch (RuntimeException e) {
      future.completeExceptionally(e);
    }
    return future;
  }

  private static void closeQuietly(AsynchronousSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // The probe's verdict is already decided; a failed close leaks nothing we can reclaim.
    }
  }

  @Override
  public String toString() {
    return "HealthCheck.tcpConnect()";
  }
}
