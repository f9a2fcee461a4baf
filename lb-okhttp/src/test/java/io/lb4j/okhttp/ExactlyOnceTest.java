package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.internal.http2.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request that is not idempotent reaches a server at most once through a wrapped client,
 * whatever the server answers, and with the client's own {@code retryOnConnectionFailure} left on.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExactlyOnceTest {
  @RegisterExtension final Harness harness = new Harness();

  @Test
  void postAnswered503WithRetryAfterZeroReachesTheServerOnceAndSeesTheHeader() throws IOException {
    Backends backends = harness.backends(1);
    backends.respondAll(request -> new MockResponse.Builder().code(503)
        .setHeader("Retry-After", "0").body("busy").build());
    OkHttpClient client = harness.client(harness.balancer(backends.serverList()));

    for (int i = 0; i < 5; i++) {
      try (Response response = client.newCall(Harness.post("http://orders/v1/items")).execute()) {
        assertThat(response.code()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("0");
        assertThat(response.body().string()).isEqualTo("busy");
      }
    }

    assertThat(backends.requestCount(0)).isEqualTo(5);
  }

  @Test
  void getAnswered503WithRetryAfterZeroIsRetriedOnAnotherInstanceNotResentToTheSame()
      throws IOException {
    Backends backends = harness.backends(2);
    backends.respond(0, request -> new MockResponse.Builder().code(503)
        .setHeader("Retry-After", "0").build());
    OkHttpClient client = harness.client(harness.balancer(backends.serverList()));

    int visitsOfThe503One = 0;
    for (int i = 0; i < 4; i++) {
      int before = backends.requestCount(0);
      try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }
      // OkHttp's own follow-up would have sent it there twice in a row.
      assertThat(backends.requestCount(0) - before).isBetween(0, 1);
      visitsOfThe503One += backends.requestCount(0) - before;
    }

    assertThat(visitsOfThe503One).as("calls that met the 503 one").isPositive();
    assertThat(backends.requestCount(1)).isEqualTo(4);
  }

  @Test
  void postAnswered408IsNotResentByOkHttp() throws IOException {
    Backends backends = harness.backends(1);
    backends.respondAll(request -> Backends.status(408));
    OkHttpClient client = harness.client(harness.balancer(backends.serverList()));

    try (Response response = client.newCall(Harness.post("http://orders/v1/items")).execute()) {
      assertThat(response.code()).isEqualTo(408);
      assertThat(response.header("Retry-After")).isNull();
    }

    assertThat(backends.requestCount(0)).isEqualTo(1);
  }

  /** An HTTP/2 server that answers every request with {@code answer}. */
  private MockWebServer http2Server(MockResponse answer) throws IOException {
    MockWebServer server = harness.closeLater(new MockWebServer());
    server.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return answer;
      }

      @Override
      public MockResponse peek() {
        return answer; // the server applies a stream's start effect from what peek() says
      }
    });
    server.start(InetAddress.getLoopbackAddress(), 0);
    return server;
  }

  @Test
  void postRefusedByAnHttp2StreamResetIsRetriedElsewhereSinceTheServerNeverProcessedIt()
      throws IOException {
    MockWebServer refusing = http2Server(new MockResponse.Builder()
        .onRequestStart(new SocketEffect.CloseStream(ErrorCode.REFUSED_STREAM.getHttpCode()))
        .build());
    MockWebServer accepting =
        http2Server(new MockResponse.Builder().code(201).body("created").build());
    Endpoint refusingEndpoint = Endpoint.of(refusing.getHostName(), refusing.getPort());
    LoadBalancer balancer = harness.balancer(MutableServerList.of(List.of(refusingEndpoint,
        Endpoint.of(accepting.getHostName(), accepting.getPort()))));
    OkHttpClient client = LoadBalancedOkHttp.wrap(
        new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build(),
        harness.interceptor(balancer).build());

    // Without a body: DATA frames racing the refusal would make the server reset the stream again,
    // as a protocol error.
    Request post = new Request.Builder().url("http://orders/v1/items")
        .post(RequestBody.create(new byte[0])).build();
    for (int i = 0; i < 4; i++) {
      try (Response response = client.newCall(post).execute()) {
        assertThat(response.code()).isEqualTo(201);
        assertThat(response.body().string()).isEqualTo("created");
      }
    }

    assertThat(refusing.getRequestCount()).as("calls that met the refusing one").isPositive();
    assertThat(accepting.getRequestCount()).isEqualTo(4);
  }

  @Test
  void postResetAfterSendingOnAPooledConnectionIsNotResentEvenWithRetryOnConnectionFailureOn()
      throws IOException {
    Backends backends = harness.backends(1);
    AtomicInteger posts = new AtomicInteger();
    backends.respondAll(request -> {
      if (!"POST".equals(request.getMethod())) {
        return Backends.ok(0);
      }
      posts.incrementAndGet();
      return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
    });
    OkHttpClient client = harness.client(harness.balancer(backends.serverList()));
    assertThat(client.retryOnConnectionFailure()).isTrue();
    // OkHttp re-sends only after a failure on a pooled connection (a fresh one proves the route
    // bad): a GET first leaves one in the pool for the POST, as OkHttp's own
    // postBodyRetransmittedOnFailureRecovery test does.
    try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
      assertThat(response.body().string()).isEqualTo("ok");
    }

    assertThatThrownBy(() -> client.newCall(Harness.post("http://orders/v1/items")).execute())
        .isInstanceOf(IOException.class);

    assertThat(posts.get()).isEqualTo(1);
  }
}
