package io.lb4j.okhttp;

import io.lb4j.core.Endpoint;
import io.lb4j.core.MutableServerList;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.net.ServerSocketFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** Real loopback servers for one logical service, each answering through a swappable behaviour. */
final class Backends implements AutoCloseable {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /**
   * Accepted sockets with Nagle off: MockWebServer writes a response's headers and body in two
   * writes, and Nagle's algorithm holding the second until the client's delayed ACK costs ~40 ms a
   * call on Linux loopback.
   */
  private static final ServerSocketFactory NO_DELAY = new ServerSocketFactory() {
    @Override
    public ServerSocket createServerSocket() throws IOException {
      return new ServerSocket() {
        @Override
        public Socket accept() throws IOException {
          Socket socket = super.accept();
          socket.setTcpNoDelay(true);
          return socket;
        }
      };
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      throw new UnsupportedOperationException();
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      throw new UnsupportedOperationException();
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
      throw new UnsupportedOperationException();
    }
  };

  private final List<MockWebServer> servers = new ArrayList<>();
  private final List<AtomicReference<Function<RecordedRequest, MockResponse>>> behaviours = new ArrayList<>();

  Backends(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      int index = i;
      AtomicReference<Function<RecordedRequest, MockResponse>> behaviour =
          new AtomicReference<>(request -> ok(index));
      MockWebServer server = new MockWebServer();
      server.setServerSocketFactory(NO_DELAY);
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          return behaviour.get().apply(request);
        }
      });
      server.start(LOOPBACK, 0);
      servers.add(server);
      behaviours.add(behaviour);
    }
  }

  /** 200 with {@code X-Server: index}. */
  static MockResponse ok(int index) {
    return new MockResponse.Builder().code(200).setHeader("X-Server", index).body("ok").build();
  }

  static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).body("status " + code).build();
  }

  void respond(int index, Function<RecordedRequest, MockResponse> behaviour) {
    behaviours.get(index).set(behaviour);
  }

  void respondAll(Function<RecordedRequest, MockResponse> behaviour) {
    for (int i = 0; i < servers.size(); i++) {
      respond(i, behaviour);
    }
  }

  MockWebServer server(int index) {
    return servers.get(index);
  }

  Endpoint endpoint(int index) {
    return Endpoint.of(LOOPBACK.getHostAddress(), servers.get(index).getPort());
  }

  List<Endpoint> endpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      endpoints.add(endpoint(i));
    }
    return endpoints;
  }

  MutableServerList serverList() {
    return MutableServerList.of(endpoints());
  }

  int requestCount(int index) {
    return servers.get(index).getRequestCount();
  }

  int totalRequests() {
    int total = 0;
    for (MockWebServer server : servers) {
      total += server.getRequestCount();
    }
    return total;
  }

  /** An endpoint on a loopback port where nothing listens: connecting to it is refused. */
  static Endpoint refusedEndpoint() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
      return Endpoint.of(LOOPBACK.getHostAddress(), socket.getLocalPort());
    }
  }

  @Override
  public void close() {
    for (MockWebServer server : servers) {
      server.close();
    }
  }
}
