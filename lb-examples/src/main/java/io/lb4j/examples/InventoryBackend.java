package io.lb4j.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One instance of a toy inventory service for the examples: a JDK {@link HttpServer} on an
 * ephemeral loopback port answering {@code GET /stock/{sku}} with a quantity after a fixed added
 * delay, and naming itself in the {@code X-Instance} header. Requests are handled concurrently, on
 * daemon threads. Thread-safe; {@link #close()} stops it at once, so later connections are refused,
 * like a crashed instance: requests still being handled are abandoned without an answer (the client
 * sees its connection drop before any response), while an answer already being written is let
 * finish, so that no client receives half a response. (A real crash can also cut a response in
 * the middle of its body; a client balancer cannot retry that, since the response was already
 * handed to its caller. The demo models the crash between answers.)
 */
final class InventoryBackend implements AutoCloseable {
  static final String INSTANCE_HEADER = "X-Instance";

  static {
    // The JDK server writes headers and body separately; with Nagle's algorithm on, the body then
    // waits for the client's delayed ACK, adding ~40 ms to every response. Read once, at first use.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final String name;
  private final Duration delay;
  private final HttpServer server;
  private final ExecutorService handlers;
  private final AtomicInteger served = new AtomicInteger();
  // Answers are written under the read lock; close() takes the write lock to stop between answers.
  private final ReadWriteLock answering = new ReentrantReadWriteLock();
  private volatile boolean crashed;

  private InventoryBackend(String name, Duration delay, HttpServer server, ExecutorService handlers) {
    this.name = name;
    this.delay = delay;
    this.server = server;
    this.handlers = handlers;
  }

  /** Starts an instance called {@code name} on {@code 127.0.0.1:<ephemeral port>}, answering at once. */
  static InventoryBackend start(String name) {
    return start(name, Duration.ZERO);
  }

  /** Starts an instance called {@code name} that adds {@code delay} to every request. */
  static InventoryBackend start(String name, Duration delay) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0, was " + delay);
    }
    ExecutorService handlers = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, name + "-handler");
      thread.setDaemon(true);
      return thread;
    });
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      InventoryBackend backend = new InventoryBackend(name, delay, server, handlers);
      server.createContext("/stock/", backend::handle);
      server.setExecutor(handlers);
      server.start();
      return backend;
    } catch (IOException e) {
      handlers.shutdownNow();
      throw new UncheckedIOException("could not start inventory instance " + name, e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!delay.isZero()) {
        Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
      }
      String sku = exchange.getRequestURI().getPath().substring("/stock/".length());
      // A stable, made-up quantity: every instance agrees, as replicas of one service would.
      byte[] body = Integer.toString(Math.floorMod(sku.hashCode(), 100)).getBytes(StandardCharsets.UTF_8);
      answering.readLock().lock();
      try {
        if (crashed) {
          return;
        }
        exchange.getResponseHeaders().add(INSTANCE_HEADER, name);
        // Counted before the answer leaves: once the client has it, the count must already show it.
        served.incrementAndGet();
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      } finally {
        answering.readLock().unlock();
      }
    } catch (InterruptedException e) {
      // close() is abandoning this request, as a crash would: the client sees its connection drop.
      Thread.currentThread().interrupt();
    }
  }

  String name() {
    return name;
  }

  Duration delay() {
    return delay;
  }

  String host() {
    return server.getAddress().getHostString();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Requests answered in full so far. */
  int served() {
    return served.get();
  }

  @Override
  public void close() {
    crashed = true;
    answering.writeLock().lock();
    try {
      server.stop(0);
    } finally {
      answering.writeLock().unlock();
    }
    handlers.shutdownNow();
  }
}
