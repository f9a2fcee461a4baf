package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lb4j.core.Endpoint;
import io.lb4j.core.HealthEvent;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import io.lb4j.okhttp.internal.UnaddressableEndpointException;
import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Endpoints the interceptor cannot address — a name that does not resolve, or a host lb-core
 * accepts and OkHttp's {@code HttpUrl} refuses — count as their endpoint's failures: the call moves
 * on, the endpoint is ejected, its pick ends, and a call with nowhere else to go fails with an
 * {@link IOException} naming the endpoint. Real loopback servers, the library's defaults.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UnaddressableEndpointTest {
  private static final Endpoint UNRESOLVABLE = Endpoint.of("no-such-host.invalid", 80);
  // DNS allows 253 characters before the root's dot, as lb-core does; HttpUrl counts the dot.
  private static final Endpoint TOO_LONG_FOR_HTTP_URL = Endpoint.of(
      String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61)) + ".", 80);
  // A letter-digit-hyphen label to DNS and lb-core; HttpUrl decodes "xn--" labels as punycode.
  private static final Endpoint BAD_PUNYCODE = Endpoint.of("xn--zz.example", 80);
  // HttpUrl re-encodes this label as "xn--ab": a URL to it would reach another name.
  private static final Endpoint REWRITTEN_BY_HTTP_URL = Endpoint.of("xn---ab.example", 80);

  /**
   * No name resolves, as .invalid never does (RFC 6761), without asking any resolver: the servers
   * are IP literals, which OkHttp never looks up.
   */
  private static final Dns NO_NAMES = hostname -> {
    throw new UnknownHostException(hostname + ": no name resolves in this test");
  };

  @RegisterExtension final Harness harness = new Harness();

  static Stream<Endpoint> unaddressable() {
    return Stream.of(UNRESOLVABLE, TOO_LONG_FOR_HTTP_URL, BAD_PUNYCODE, REWRITTEN_BY_HTTP_URL);
  }

  private OkHttpClient client(LoadBalancingInterceptor interceptor) {
    return closeLater(LoadBalancedOkHttp.wrap(
        new OkHttpClient.Builder().dns(NO_NAMES).callTimeout(Duration.ofSeconds(10)).build(),
        interceptor));
  }

  private OkHttpClient closeLater(OkHttpClient client) {
    AutoCloseable shutdown = () -> {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    };
    harness.closeLater(shutdown);
    return client;
  }

  private OkHttpClient client(LoadBalancer balancer) {
    return client(harness.interceptor(balancer).build());
  }

  private static int status(OkHttpClient client, Request request) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      return response.code();
    }
  }

  /** A balancer (the library's defaults, round robin) of {@code bad} first, then two good ones. */
  private LoadBalancer besideTwoGood(Endpoint bad, Backends backends) {
    return harness.balancer(
        MutableServerList.of(List.of(bad, backends.endpoint(0), backends.endpoint(1))));
  }

  private static Request getOrPost(int i) {
    String url = "http://orders/v1/items";
    return i % 2 == 0 ? Harness.post(url) : Harness.get(url);
  }

  @ParameterizedTest
  @MethodSource("unaddressable")
  void getsAndPostsGoToTheOthersWhileTheUnaddressableOneIsEjected(Endpoint bad) throws IOException {
    Backends backends = harness.backends(2);
    LoadBalancer balancer = besideTwoGood(bad, backends);
    List<HealthEvent> events = new CopyOnWriteArrayList<>();
    harness.closeLater(balancer.healthTracker().subscribeEvents(events::add));
    OkHttpClient client = client(balancer);

    int calls = 30;
    for (int i = 0; i < calls; i++) {
      assertThat(status(client, getOrPost(i))).as("call %d", i).isEqualTo(200);
    }

    // Each call reached exactly one server: the POSTs too, their failed attempt never left.
    assertThat(backends.totalRequests()).isEqualTo(calls);
    // Five failures in a row: the tracker's default outlier rule.
    assertThat(Harness.stats(balancer, bad).failures()).isGreaterThanOrEqualTo(5);
    assertThat(Harness.stats(balancer, bad).inFlight()).isZero();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(balancer.healthTracker().isAvailable(bad)).isFalse();
      assertThat(events).anyMatch(event -> event.type() == HealthEvent.Type.EJECTED
          && event.endpoint().equals(Optional.of(bad)));
    });
  }

  @Test
  void postsMoveOnThroughAnInterceptorInstalledByHandToo() throws IOException {
    Backends backends = harness.backends(2);
    LoadBalancer balancer = besideTwoGood(BAD_PUNYCODE, backends);
    // Without wrap() nothing tracks what was sent: the failure's type must say "never sent".
    OkHttpClient client = closeLater(new OkHttpClient.Builder()
        .addInterceptor(harness.interceptor(balancer).build()).build());

    for (int i = 0; i < 6; i++) {
      assertThat(status(client, Harness.post("http://orders/v1/items"))).as("call %d", i)
          .isEqualTo(200);
    }
    assertThat(backends.totalRequests()).isEqualTo(6);
    assertThat(Harness.stats(balancer, BAD_PUNYCODE).failures()).isPositive();
  }

  @Test
  void aPostRedirectedToANameThatDoesNotResolveIsNotSentAgainThroughAnInterceptorInstalledByHand()
      throws IOException {
    Backends backends = harness.backends(2);
    backends.respondAll(request -> new MockResponse.Builder().code(303)
        .addHeader("Location", "http://no-such-host.invalid/elsewhere").build());
    LoadBalancer balancer = harness.balancer(
        MutableServerList.of(List.of(backends.endpoint(0), backends.endpoint(1))));
    // The POST reached the first backend; only OkHttp's own follow-up failed to resolve its name,
    // which says nothing about the endpoint and must not make the POST look unsent.
    OkHttpClient client = closeLater(new OkHttpClient.Builder().dns(NO_NAMES)
        .addInterceptor(harness.interceptor(balancer).build()).build());

    assertThatThrownBy(() -> status(client, Harness.post("http://orders/v1/items")))
        .isInstanceOf(UnknownHostException.class)
        .isNotInstanceOf(UnaddressableEndpointException.class)
        .hasMessageContaining("no-such-host.invalid");
    assertThat(backends.totalRequests()).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("unaddressable")
  void hedgedGetsGoToTheOthersAndTheUnaddressableOneIsReported(Endpoint bad) throws IOException {
    Backends backends = harness.backends(2);
    LoadBalancer balancer = besideTwoGood(bad, backends);
    // A hedge only after a failure: the unaddressable attempt must be one.
    HedgingPolicy afterFailureOnly = HedgingPolicy.builder().maxAttempts(3)
        .delay(Duration.ofMinutes(1)).build();
    OkHttpClient client = client(harness.interceptor(balancer).hedging(afterFailureOnly).build());

    for (int i = 0; i < 12; i++) {
      assertThat(status(client, Harness.get("http://orders/v1/items"))).as("call %d", i)
          .isEqualTo(200);
    }

    assertThat(backends.totalRequests()).isEqualTo(12);
    assertThat(Harness.stats(balancer, bad).failures()).isPositive();
    assertThat(Harness.stats(balancer, bad).inFlight()).isZero();
  }

  @ParameterizedTest
  @MethodSource("unaddressable")
  void aCallWithOnlyTheUnaddressableOneFailsWithAnIoExceptionNamingIt(Endpoint bad) {
    LoadBalancer balancer = harness.balancer(MutableServerList.of(List.of(bad)));
    OkHttpClient client = client(balancer);

    for (int i = 0; i < 4; i++) {
      Request request = getOrPost(i);
      assertFailsNaming(() -> status(client, request), bad);
    }

    // Reported each time: a single endpoint is never ejected (the ejection cap) but is judged.
    assertReported(balancer, bad, 4);
  }

  @ParameterizedTest
  @MethodSource("unaddressable")
  void anEnqueuedCallWithOnlyTheUnaddressableOneFailsWithAnIoExceptionNamingIt(Endpoint bad) {
    LoadBalancer balancer = harness.balancer(MutableServerList.of(List.of(bad)));
    OkHttpClient client = client(balancer);

    CompletableFuture<Response> call =
        Harness.enqueue(client.newCall(Harness.post("http://orders/v1/items")));
    assertFailsNaming(() -> {
      try {
        call.get(10, TimeUnit.SECONDS).close();
      } catch (ExecutionException e) {
        throw e.getCause();
      }
    }, bad);
    assertReported(balancer, bad, 1);
  }

  @ParameterizedTest
  @MethodSource("unaddressable")
  void aHedgedCallWithOnlyTheUnaddressableOneFailsWithAnIoExceptionNamingIt(Endpoint bad) {
    LoadBalancer balancer = harness.balancer(MutableServerList.of(List.of(bad)));
    OkHttpClient client = client(harness.interceptor(balancer)
        .hedging(HedgingPolicy.builder().maxAttempts(2).delay(Duration.ofMillis(5)).build())
        .build());

    assertFailsNaming(() -> status(client, Harness.get("http://orders/v1/items")), bad);
    assertReported(balancer, bad, 1);
  }

  /**
   * {@code call} fails with an {@link UnknownHostException} naming the service and {@code bad}, and
   * carrying the original failure: not OkHttp's raw IllegalArgumentException, not a hang.
   */
  private static void assertFailsNaming(ThrowingCallable call, Endpoint bad) {
    assertThatThrownBy(call)
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("service 'orders'")
        .hasMessageContaining(bad.id())
        .hasCauseInstanceOf(bad == UNRESOLVABLE
            ? UnknownHostException.class : IllegalArgumentException.class);
  }

  /** {@code failures} attempts to {@code endpoint} reported as failures, none left in flight. */
  private static void assertReported(LoadBalancer balancer, Endpoint endpoint, int failures) {
    assertThat(Harness.stats(balancer, endpoint).failures()).as(endpoint.id()).isEqualTo(failures);
    assertThat(Harness.stats(balancer, endpoint).inFlight()).as(endpoint.id()).isZero();
  }

  @Test
  void whenEveryEndpointIsUnaddressableTheFailureCarriesEachAttempt() {
    LoadBalancer balancer = harness.balancer(
        MutableServerList.of(List.of(UNRESOLVABLE, TOO_LONG_FOR_HTTP_URL, BAD_PUNYCODE)));
    OkHttpClient client = client(balancer);

    assertThatThrownBy(() -> status(client, Harness.post("http://orders/v1/items")))
        .isInstanceOf(UnknownHostException.class)
        .satisfies(failure -> {
          StringBuilder all = new StringBuilder(failure.getMessage());
          for (Throwable earlier : failure.getSuppressed()) {
            all.append('\n').append(earlier.getMessage());
          }
          assertThat(failure.getSuppressed()).hasSize(2);
          assertThat(all)
              .contains(UNRESOLVABLE.id(), TOO_LONG_FOR_HTTP_URL.id(), BAD_PUNYCODE.id());
        });
    for (Endpoint endpoint : List.of(UNRESOLVABLE, TOO_LONG_FOR_HTTP_URL, BAD_PUNYCODE)) {
      assertReported(balancer, endpoint, 1);
    }
  }
}
