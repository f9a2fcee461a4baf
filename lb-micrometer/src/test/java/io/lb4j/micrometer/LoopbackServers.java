package io.lb4j.micrometer;

import io.lb4j.core.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** Real loopback HTTP servers (mockwebserver3), each answering every request with one status. */
final class LoopbackServers implements AutoCloseable {
  private final List<MockWebServer> servers = new ArrayList<>();

  LoopbackServers(int... statuses) throws IOException {
    for (int status : statuses) {
      MockWebServer server = new MockWebServer();
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          return new MockResponse.Builder().code(status).body("status " + status).build();
        }
      });
      server.start(InetAddress.getLoopbackAddress(), 0);
      servers.add(server);
    }
  }

  Endpoint endpoint(int index) {
    return Endpoint.of(InetAddress.getLoopbackAddress().getHostAddress(), servers.get(index).getPort());
  }

  List<Endpoint> endpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      endpoints.add(endpoint(i));
    }
    return endpoints;
  }

  int requestCount(int index) {
    return servers.get(index).getRequestCount();
  }

  @Override
  public void close() {
    servers.forEach(MockWebServer::close);
  }
}
