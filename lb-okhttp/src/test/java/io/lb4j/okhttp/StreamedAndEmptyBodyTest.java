package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.EndpointStats;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Idempotent calls are buffered only when their body is known to be small: a stream returns at its
 * headers. An answer without a body ends its attempt at once, closed by the caller or not.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamedAndEmptyBodyTest {
  @RegisterExtension final Harness harness = new Harness();

  private LoadBalancer balancerOf(HeldStreamServer server) {
    return harness.balancer(MutableServerList.of(List.of(server.endpoint())));
  }

  private static OkHttpClient wrapped(LoadBalancingInterceptor.Builder interceptor) {
    return LoadBalancedOkHttp.wrap(new OkHttpClient(), interceptor.build());
  }

  /** The response, or a failure of the test when it does not come within 10 s. */
  private static Response executeWithin10s(OkHttpClient client, Request request) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return client.newCall(request).execute();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).get(10, TimeUnit.SECONDS);
  }

  private void streamReturnsAtItsHeaders(HeldStreamServer server, String rest) throws Exception {
    LoadBalancer balancer = balancerOf(server);
    OkHttpClient client = wrapped(harness.interceptor(balancer));

    try (Response response = executeWithin10s(client, Harness.get("http://orders/watch"))) {
      assertThat(response.body().source().readUtf8(HeldStreamServer.FIRST.length()))
          .isEqualTo(HeldStreamServer.FIRST);
      server.release();
      assertThat(response.body().string()).isEqualTo(rest);
    }

    EndpointStats stats = Harness.stats(balancer, server.endpoint());
    assertThat(stats.successes()).isEqualTo(1);
    assertThat(stats.inFlight()).isZero();
  }

  @Test
  void chunkedGetOfUnknownLengthReturnsAtItsHeadersNotAtItsEnd() throws Exception {
    streamReturnsAtItsHeaders(
        harness.closeLater(HeldStreamServer.chunked("application/json")), "");
  }

  @Test
  void serverSentEventsOfAKnownSmallLengthAreNotBuffered() throws Exception {
    streamReturnsAtItsHeaders(
        harness.closeLater(HeldStreamServer.fixedLength("text/event-stream", "second")), "second");
  }

  @Test
  void knownSmallBodyOfAGetIsStillBufferedSoItsStreamIsFreeBeforeTheCallerReads()
      throws Exception {
    Backends backends = harness.backends(1);
    LoadBalancer balancer = harness.balancer(backends.serverList());
    OkHttpClient client = wrapped(harness.interceptor(balancer));

    Response response = client.newCall(Harness.get("http://orders/")).execute();

    // Buffered: the attempt ended before the caller read anything.
    EndpointStats stats = Harness.stats(balancer, backends.endpoint(0));
    assertThat(stats.successes()).isEqualTo(1);
    assertThat(stats.inFlight()).isZero();
    response.close();
  }

  private void answerWithoutBodyEndsItsAttemptUnclosed(LoadBalancingInterceptor.Builder builder,
      MockResponse answer, Request request, int expectedCode) throws Exception {
    Backends backends = harness.backends(1);
    backends.respondAll(recorded -> answer);
    LoadBalancer balancer = harness.balancer(backends.serverList());
    OkHttpClient client = wrapped(builder.service("orders", balancer));

    // Not closed, on purpose: OkHttp itself frees the connection of an empty body.
    Response response = client.newCall(request).execute();

    assertThat(response.code()).isEqualTo(expectedCode);
    EndpointStats stats = Harness.stats(balancer, backends.endpoint(0));
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.successes()).isEqualTo(1);
  }

  @Test
  void postAnswered204EndsItsAttemptWithoutBeingClosed() throws Exception {
    answerWithoutBodyEndsItsAttemptUnclosed(LoadBalancingInterceptor.builder(),
        new MockResponse.Builder().code(204).build(), Harness.post("http://orders/items"), 204);
  }

  @Test
  void postAnsweredWithAnEmptyBodyEndsItsAttemptWithoutBeingClosed() throws Exception {
    answerWithoutBodyEndsItsAttemptUnclosed(LoadBalancingInterceptor.builder(),
        new MockResponse.Builder().code(201).body("").build(),
        Harness.post("http://orders/items"), 201);
  }

  @Test
  void headEndsItsAttemptWithoutBeingClosedEvenUnbuffered() throws Exception {
    answerWithoutBodyEndsItsAttemptUnclosed(LoadBalancingInterceptor.builder().bodyBufferLimit(0),
        new MockResponse.Builder().code(200).setHeader("Content-Length", "42").build(),
        new Request.Builder().url("http://orders/").head().build(), 200);
  }

  @Test
  void hedgedWinnerWithoutBodyEndsItsAttemptWithoutBeingClosed() throws Exception {
    answerWithoutBodyEndsItsAttemptUnclosed(LoadBalancingInterceptor.builder()
            .hedging(HedgingPolicy.builder().maxAttempts(2).delay(Duration.ofSeconds(5)).build()),
        new MockResponse.Builder().code(204).build(), Harness.get("http://orders/"), 204);
  }
}
