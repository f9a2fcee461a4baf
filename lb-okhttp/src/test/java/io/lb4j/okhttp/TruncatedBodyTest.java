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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A body cut off mid-way: counted against its instance, and retried where that is safe. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TruncatedBodyTest {
  private static final String BODY = "x".repeat(4096);
  @RegisterExtension final Harness harness = new Harness();

  private static MockResponse truncated(int size) {
    return new MockResponse.Builder().code(200).body("y".repeat(size))
        .onResponseBody(new SocketEffect.CloseSocket()).build();
  }

  private static MockResponse full() {
    return new MockResponse.Builder().code(200).body(BODY).build();
  }

  @Test
  void truncatedBodyOfAGetIsRetriedOnAnotherInstanceAndCountedAgainstTheFirst() throws IOException {
    Backends backends = harness.backends(2);
    backends.respond(0, request -> truncated(4096));
    backends.respond(1, request -> full());
    LoadBalancer balancer = harness.balancer(backends.serverList());
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(),
        harness.interceptor(balancer).build());

    for (int i = 0; i < 4; i++) {
      try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
        assertThat(response.body().string()).isEqualTo(BODY);
      }
    }

    assertThat(backends.requestCount(0)).as("calls that met the truncating one").isPositive();
    assertThat(Harness.stats(balancer, backends.endpoint(0)).failures())
        .isEqualTo(backends.requestCount(0));
    assertThat(Harness.stats(balancer, backends.endpoint(0)).successes()).isZero();
    assertThat(Harness.stats(balancer, backends.endpoint(1)).successes()).isEqualTo(4);
  }

  @Test
  void truncatedBodyOfAPostReachesTheCallerAndCountsAgainstTheInstance() throws IOException {
    Backends backends = harness.backends(1);
    backends.respondAll(request -> truncated(4096));
    LoadBalancer balancer = harness.balancer(backends.serverList());
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(),
        harness.interceptor(balancer).build());

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> {
        try (Response response = client.newCall(Harness.post("http://orders/")).execute()) {
          response.body().string();
        }
      }).isInstanceOf(IOException.class);
    }

    assertThat(backends.requestCount(0)).isEqualTo(3);
    assertThat(Harness.stats(balancer, backends.endpoint(0)).failures()).isEqualTo(3);
    assertThat(Harness.stats(balancer, backends.endpoint(0)).inFlight()).isZero();
  }

  @Test
  void truncatedBodyLargerThanTheBufferLimitReachesTheCallerAndCounts() throws IOException {
    Backends backends = harness.backends(1);
    backends.respondAll(request -> truncated(600 * 1024));
    LoadBalancer balancer = harness.balancer(backends.serverList());
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(),
        harness.interceptor(balancer).build());

    assertThatThrownBy(() -> {
      try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
        response.body().string();
      }
    }).isInstanceOf(IOException.class);

    assertThat(backends.totalRequests()).isEqualTo(1);
    assertThat(Harness.stats(balancer, backends.endpoint(0)).failures()).isEqualTo(1);
  }

  @Test
  void bodyReadInFullIsASuccessAndAnEarlyCloseByTheCallerIsNoFailure() throws IOException {
    Backends backends = harness.backends(1);
    backends.respondAll(request -> new MockResponse.Builder().code(200)
        .body("z".repeat(600 * 1024)).build());
    LoadBalancer balancer = harness.balancer(backends.serverList());
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(),
        harness.interceptor(balancer).build());

    try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
      assertThat(response.body().string()).hasSize(600 * 1024);
    }
    try (Response response = client.newCall(Harness.post("http://orders/")).execute()) {
      assertThat(response.body().source().readByte()).isEqualTo((byte) 'z');
    }

    assertThat(Harness.stats(balancer, backends.endpoint(0)).successes()).isEqualTo(2);
    assertThat(Harness.stats(balancer, backends.endpoint(0)).failures()).isZero();
    assertThat(Harness.stats(balancer, backends.endpoint(0)).inFlight()).isZero();
  }
}
