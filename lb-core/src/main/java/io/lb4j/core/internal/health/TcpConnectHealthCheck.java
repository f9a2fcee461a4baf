package io.lb4j.core.internal.health;

import io.lb4j.core.Endpoint;
import io.lb4j.core.HealthCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * {@link HealthCheck#tcpConnect()}: healthy when a TCP connection opens. An IP literal is connected
 * to directly; a host name is resolved first on a small pool of daemon threads ({@code
 * lb4j-dns-N}, at most {@value #RESOLVER_THREADS}, idle ones ending after a minute), never on the
 * caller's thread, which is the scheduler shared by every tracker: a slow or dead DNS server must
 * not hold up other endpoints' probes and refreshes. Each probe resolves afresh, so an address
 * change is seen at the next probe (subject to the JVM's DNS cache). The channel is closed as soon
 * as the returned future completes in any way, including when the tracker cancels it on timeout,
 * so a black-holed endpoint does not hold a socket until the OS gives up. Thread-safe.
 */
public final class TcpConnectHealthCheck implements HealthCheck {
  /** The check {@link HealthCheck#tcpConnect()} returns. */
  public static final TcpConnectHealthCheck INSTANCE =
      new TcpConnectHealthCheck(command -> ResolverPool.EXECUTOR.execute(command), InetAddress::getByName);

  static final int RESOLVER_THREADS = 2;
  private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** Resolves a host name to one address; may block. */
  @FunctionalInterface
  interface Resolver {
    InetAddress resolve(String host) throws UnknownHostException;
  }

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

  private final Executor resolverExecutor;
  private final Resolver resolver;

  TcpConnectHealthCheck(Executor resolverExecutor, Resolver resolver) {
    this.resolverExecutor = Objects.requireNonNull(resolverExecutor, "resolverExecutor");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  @Override
  public CompletionStage<Boolean> check(Endpoint endpoint) {
    CompletableFuture<Boolean> future = new CompletableFuture<>();
    String host = endpoint.host();
    if (isIpLiteral(host)) {
      connect(literal(host, endpoint.port()), future);
      return future;
    }
    try {
      resolverExecutor.execute(() -> {
        if (future.isDone()) {
          return; // timed out and cancelled while queued
        }
        try {
          connect(new InetSocketAddress(resolver.resolve(host), endpoint.port()), future);
        } catch (UnknownHostException | RuntimeException e) {
          future.completeExceptionally(e);
        }
      });
    } catch (RuntimeException e) {
      future.completeExceptionally(e);
    }
    return future;
  }

  static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || IPV4_LITERAL.matcher(host).matches();
  }

  /** A literal parses without a lookup; brackets around an IPv6 literal are dropped first. */
  private static InetSocketAddress literal(String host, int port) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return new InetSocketAddress(bare, port);
  }

  private static void connect(InetSocketAddress address, CompletableFuture<Boolean> future) {
    if (address.isUnresolved()) {
      future.completeExceptionally(new UnknownHostException(address.getHostString()));
      return;
    }
    AsynchronousSocketChannel channel;
    try {
      channel = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      future.completeExceptionally(e);
      return;
    }
    future.whenComplete((healthy, failure) -> closeQuietly(channel));
    try {
      channel.connect(address, future, HANDLER);
    } catch (RuntimeException e) {
      future.completeExceptionally(e);
    }
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

  /** Created with the first probe of a host name. */
  private static final class ResolverPool {
    private static final AtomicInteger THREADS = new AtomicInteger();
    static final ThreadPoolExecutor EXECUTOR = create();

    private static ThreadPoolExecutor create() {
      ThreadPoolExecutor executor = new ThreadPoolExecutor(RESOLVER_THREADS, RESOLVER_THREADS,
          1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "lb4j-dns-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });
      executor.allowCoreThreadTimeOut(true);
      return executor;
    }
  }
}
