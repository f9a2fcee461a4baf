package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.LoadBalancer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request that is not idempotent reaches a server at most once through a wrapped client,
 * whatever the server answers, and with the client's own {@code retryOnConnectionFailure} left on.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExactlyOnceTest {
  private final Harness harness = new Harness();

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** Plain OkHttp defaults: retryOnConnectionFailure on, as most users leave it. */
  private OkHttpClient wrapped(LoadBalancer balancer) {
    return LoadBalancedOkHttp.wrap(new OkHttpClient(), harness.interceptor(balancer).build());
  }

  @Test
  void postAnswered503WithRetryAfterZeroReachesTheServerOnceAndSeesTheHeader() throws IOException {
    Backends backends = harness.backends(1);
    backends.respondAll(request -> new MockResponse.Builder().code(503)
        .setHeader("Retry-After", "0").body("busy").build());
    OkHttpClient client = wrapped(harness.balancer(backends.serverList()));

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
    OkHttpClient client = wrapped(harness.balancer(backends.serverList()));

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
    OkHttpClient client = wrapped(harness.balancer(backends.serverList()));

    try (Response response = client.newCall(Harness.post("http://orders/v1/items")).execute()) {
      assertThat(response.code()).isEqualTo(408);
      assertThat(response.header("Retry-After")).isNull();
    }

    assertThat(backends.requestCount(0)).isEqualTo(1);
  }

  @Test
  void postResetAfterSendingIsNotResentEvenWithRetryOnConnectionFailureOn() throws IOException {
    Backends backends = harness.backends(2);
    backends.respondAll(request ->
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    OkHttpClient client = wrapped(harness.balancer(backends.serverList()));
    assertThat(client.retryOnConnectionFailure()).isTrue();

    assertThatThrownBy(() -> client.newCall(Harness.post("http://orders/v1/items")).execute())
        .isInstanceOf(IOException.class);

    assertThat(backends.totalRequests()).isEqualTo(1);
  }
}
