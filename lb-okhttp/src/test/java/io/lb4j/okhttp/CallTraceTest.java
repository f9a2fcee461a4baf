package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import io.lb4j.core.PickExplanation;
import io.lb4j.okhttp.CallListener.AttemptKind;
import io.lb4j.okhttp.CallListener.Outcome;
import io.lb4j.okhttp.CallTrace.Attempt;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The trace of every attempt, read from the answer or the failure, on real loopback servers. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CallTraceTest {
  @RegisterExtension final Harness harness = new Harness();

  private OkHttpClient tracingClient(LoadBalancer balancer, CallTrace.Detail detail) {
    return LoadBalancedOkHttp.wrap(new OkHttpClient(),
        harness.interceptor(balancer).callTrace(detail).build());
  }

  /** The very first request any backend gets is answered with {@code first}; the rest with 200. */
  private static void firstRequestGets(Backends backends, int count, MockResponse first) {
    AtomicBoolean served = new AtomicBoolean();
    for (int i = 0; i < count; i++) {
      int index = i;
      backends.respond(i, request -> served.compareAndSet(false, true) ? first : Backends.ok(index));
    }
  }

  private static Endpoint servedBy(Backends backends, Response response) {
    return backends.endpoint(Integer.parseInt(response.header("X-Server")));
  }

  private static CallTrace traceOf(Response response) {
    return CallTrace.of(response).orElseThrow(() -> new AssertionError("no trace on the response"));
  }

  @Test
  void aCallServedAtOnceHasOneAttemptToTheEndpointThatAnswered() throws IOException {
    Backends backends = harness.backends(2);
    OkHttpClient client =
        tracingClient(harness.balancer(backends.serverList()), CallTrace.Detail.ATTEMPTS);

    try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
      CallTrace trace = traceOf(response);
      assertThat(trace.service()).isEqualTo("orders");
      assertThat(trace.attempts()).hasSize(1);
      Attempt only = trace.attempts().get(0);
      assertThat(only.number()).isEqualTo(1);
      assertThat(only.kind()).isEqualTo(AttemptKind.FIRST);
      assertThat(only.endpoint()).isEqualTo(servedBy(backends, response));
      assertThat(only.outcome()).isEqualTo(Outcome.SUCCESS);
      assertThat(only.status()).hasValue(200);
      assertThat(only.explanation()).as("explanations were not asked for").isEmpty();
    }
  }

  @Test
  void aCallRetriedAfterA503ShowsBothAttemptsAndEachPicksExplanation() throws Exception {
    Backends backends = harness.backends(2);
    firstRequestGets(backends, 2, Backends.status(503));
    OkHttpClient client = tracingClient(harness.balancer(backends.serverList()),
        CallTrace.Detail.ATTEMPTS_AND_EXPLANATIONS);

    // enqueue(): the trace comes back on the dispatcher's thread too.
    try (Response response = Harness.enqueue(client.newCall(Harness.get("http://orders/")))
        .get(10, TimeUnit.SECONDS)) {
      List<Attempt> attempts = traceOf(response).attempts();
      assertThat(attempts).extracting(Attempt::kind, Attempt::outcome, Attempt::status)
          .containsExactly(tuple(AttemptKind.FIRST, Outcome.SERVER_ERROR, OptionalInt.of(503)),
              tuple(AttemptKind.RETRY, Outcome.SUCCESS, OptionalInt.of(200)));
      Attempt first = attempts.get(0);
      Attempt retry = attempts.get(1);
      assertThat(retry.endpoint()).isEqualTo(servedBy(backends, response))
          .isNotEqualTo(first.endpoint());
      // Each attempt carries its own pick's explanation: the retry's saw the first one excluded.
      PickExplanation retryPick = retry.explanation().orElseThrow();
      assertThat(retryPick.chosen()).contains(retry.endpoint());
      assertThat(excluded(retryPick)).containsExactly(first.endpoint());
      assertThat(excluded(first.explanation().orElseThrow())).isEmpty();
    }
  }

  private static List<Endpoint> excluded(PickExplanation explanation) {
    return explanation.members().stream().filter(PickExplanation.Member::excluded)
        .map(PickExplanation.Member::endpoint).toList();
  }

  @Test
  void aBodyCutOffAndRetriedShowsTheFailedReadThenTheAnswer() throws IOException {
    Backends backends = harness.backends(2);
    firstRequestGets(backends, 2, new MockResponse.Builder().code(200).body("y".repeat(4096))
        .onResponseBody(new SocketEffect.CloseSocket()).build());
    OkHttpClient client =
        tracingClient(harness.balancer(backends.serverList()), CallTrace.Detail.ATTEMPTS);

    try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
      List<Attempt> attempts = traceOf(response).attempts();
      assertThat(attempts).extracting(Attempt::outcome)
          .containsExactly(Outcome.IO_ERROR, Outcome.SUCCESS);
      assertThat(attempts.get(0).status()).as("a cut-off body is a failure, not an answer").isEmpty();
      assertThat(attempts.get(0).detail()).isNotEmpty();
      assertThat(attempts.get(1).endpoint()).isEqualTo(servedBy(backends, response));
    }
  }

  @Test
  void aHedgedCallShowsTheWinnerAndTheLoserItCanceled() throws IOException {
    Backends backends = harness.backends(2);
    firstRequestGets(backends, 2, new MockResponse.Builder().code(200).body("slow")
        .headersDelay(5_000, TimeUnit.MILLISECONDS).build());
    HedgingPolicy hedging = HedgingPolicy.builder().maxAttempts(2).delay(Duration.ofMillis(30)).build();
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(),
        harness.interceptor(harness.balancer(backends.serverList())).hedging(hedging)
            .callTrace(CallTrace.Detail.ATTEMPTS).build());

    try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
      List<Attempt> attempts = traceOf(response).attempts();
      assertThat(attempts).extracting(Attempt::kind, Attempt::outcome, Attempt::detail)
          .containsExactly(tuple(AttemptKind.FIRST, Outcome.CANCELED, "lost the hedged race"),
              tuple(AttemptKind.HEDGE, Outcome.SUCCESS, ""));
      Attempt loser = attempts.get(0);
      Attempt winner = attempts.get(1);
      assertThat(winner.endpoint()).isEqualTo(servedBy(backends, response))
          .isNotEqualTo(loser.endpoint());
    }
  }

  @Test
  void aFailedCallCarriesEveryAttemptOnTheExceptionTheCallerCatches() throws Exception {
    Endpoint refusedA = Backends.refusedEndpoint();
    Endpoint refusedB = Backends.refusedEndpoint();
    OkHttpClient client = tracingClient(harness.balancer(MutableServerList.of(refusedA, refusedB)),
        CallTrace.Detail.ATTEMPTS);

    IOException executed = catchThrowableOfType(IOException.class,
        () -> client.newCall(Harness.get("http://orders/")).execute());
    ExecutionException enqueued = catchThrowableOfType(ExecutionException.class,
        () -> Harness.enqueue(client.newCall(Harness.get("http://orders/"))).get(10, TimeUnit.SECONDS));

    for (Throwable failure : List.of(executed, enqueued.getCause())) {
      List<Attempt> attempts = CallTrace.of(failure).orElseThrow().attempts();
      assertThat(attempts).extracting(Attempt::endpoint).containsExactlyInAnyOrder(refusedA, refusedB);
      assertThat(attempts).extracting(Attempt::outcome)
          .containsExactly(Outcome.IO_ERROR, Outcome.IO_ERROR);
      assertThat(attempts).allSatisfy(attempt ->
          assertThat(attempt.detail()).startsWith(ConnectException.class.getName()));
      // Tracing leaves the failure as it is: one suppressed cause per earlier attempt.
      assertThat(failure.getSuppressed()).hasSize(1)
          .allSatisfy(cause -> assertThat(cause).isInstanceOf(ConnectException.class));
    }
  }

  @Test
  void aCallNoEndpointCouldTakeCarriesAnEmptyTrace() {
    LoadBalancer balancer = harness.balancer(MutableServerList.of(List.of()));
    OkHttpClient client = tracingClient(balancer, CallTrace.Detail.ATTEMPTS);

    IOException failure = catchThrowableOfType(IOException.class,
        () -> client.newCall(Harness.get("http://orders/")).execute());

    CallTrace trace = CallTrace.of(failure).orElseThrow();
    assertThat(trace.service()).isEqualTo("orders");
    assertThat(trace.attempts()).isEmpty();
  }

  @Test
  void badValuesAreRefusedNamingThem() {
    Endpoint endpoint = Endpoint.of("10.0.0.1", 8080);
    assertThatThrownBy(() -> new Attempt(0, AttemptKind.FIRST, endpoint, Outcome.SUCCESS,
        OptionalInt.of(200), "", Duration.ZERO, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("number must be >= 1, was 0");
    assertThatThrownBy(() -> new Attempt(1, AttemptKind.FIRST, endpoint, Outcome.SUCCESS,
        OptionalInt.of(200), "", Duration.ofNanos(-5), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("latency must be >= 0, was PT-0.000000005S");
    assertThatThrownBy(() -> LoadBalancingInterceptor.builder().callTrace(null))
        .isInstanceOf(NullPointerException.class).hasMessage("detail");
  }

  @Test
  void byDefaultNoTraceIsAttached() throws Exception {
    Backends backends = harness.backends(1);
    OkHttpClient client = harness.client(harness.balancer(backends.serverList()));
    try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
      assertThat(CallTrace.of(response)).isEmpty();
    }

    OkHttpClient refused = harness.client(
        harness.balancer(MutableServerList.of(Backends.refusedEndpoint())));
    IOException failure = catchThrowableOfType(IOException.class,
        () -> refused.newCall(Harness.get("http://orders/")).execute());
    assertThat(CallTrace.of(failure)).isEmpty();
  }
}
