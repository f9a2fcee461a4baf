package io.lb4j.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance of a toy inventory service for the examples: a JDK {@link HttpServer} on an
 * ephemeral loopback port answering {@code GET /stock/{sku}} with a quantity, and naming itself in
 * the {@code X-Instance} header. Thread-safe; {@link #close()} stops it at once, so later
 * connections are refused, like a crashed instance.
 */
final class InventoryBackend implements AutoCloseable {
  static final String INSTANCE_HEADER = "X-Instance";

  private final String name;
  private final HttpServer server;
  private final AtomicInteger served = new AtomicInteger();

  private InventoryBackend(String name, HttpServer server) {
    this.name = name;
    this.server = server;
  }

  /** Starts an instance called {@code name} on {@code 127.0.0.1:<ephemeral port>}. */
  static InventoryBackend start(String name) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      InventoryBackend backend = new InventoryBackend(name, server);
      server.createContext("/stock/", backend::handle);
      server.start();
      return backend;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start inventory instance " + name, e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String sku = exchange.getRequestURI().getPath().substring("/stock/".length());
      // A stable, made-up quantity: every instance agrees, as replicas of one service would.
      byte[] body = Integer.toString(Math.floorMod(sku.hashCode(), 100)).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add(INSTANCE_HEADER, name);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
      served.incrementAndGet();
    }
  }

  String name() {
    return name;
  }

  String host() {
    return server.getAddress().getHostString();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Requests answered so far. */
  int served() {
    return served.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
