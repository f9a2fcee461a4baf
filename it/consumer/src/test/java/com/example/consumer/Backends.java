package com.example.consumer;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import okhttp3.OkHttpClient;

/**
 * Local HTTP backends standing in for the README's addresses (10.0.0.x:8080): JDK HttpServers on
 * loopback, reached through a client whose sockets connect to the backend of the address asked
 * for, as a test network would route them. Counts the requests each backend got, by path.
 */
final class Backends implements AutoCloseable {
  private final Map<String, HttpServer> servers = new LinkedHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  Backends(String... addresses) throws IOException {
    for (String address : addresses) {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> {
        hits.computeIfAbsent(address + exchange.getRequestURI().getPath(), k -> new AtomicInteger())
            .incrementAndGet();
        byte[] body = ("served by " + address).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      servers.put(address, server);
    }
  }

  /** Requests {@code address} ("10.0.0.1:8080") got on {@code path}. */
  int hits(String address, String path) {
    AtomicInteger n = hits.get(address + path);
    return n == null ? 0 : n.get();
  }

  /** A plain OkHttp client ("the service's existing client") that reaches these backends. */
  OkHttpClient client() {
    return new OkHttpClient.Builder().socketFactory(new RoutingSocketFactory()).build();
  }

  private InetSocketAddress route(InetSocketAddress asked) {
    String key = asked.getHostString() + ":" + asked.getPort();
    HttpServer server = servers.get(key);
    if (server == null) {
      throw new UncheckedIOException(new IOException("no backend for " + key));
    }
    return server.getAddress();
  }

  @Override
  public void close() {
    servers.values().forEach(s -> s.stop(0));
  }

  private final class RoutingSocketFactory extends SocketFactory {
    @Override
    public Socket createSocket() {
      return new Socket() {
        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
          super.connect(route((InetSocketAddress) endpoint), timeout);
        }
      };
    }

    @Override
    public Socket createSocket(String host, int port) {
      throw new UnsupportedOperationException("OkHttp connects unconnected sockets");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
      throw new UnsupportedOperationException("OkHttp connects unconnected sockets");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
      throw new UnsupportedOperationException("OkHttp connects unconnected sockets");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
      throw new UnsupportedOperationException("OkHttp connects unconnected sockets");
    }
  }
}
