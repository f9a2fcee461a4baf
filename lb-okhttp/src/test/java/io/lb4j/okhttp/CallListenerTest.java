package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Algorithms;
import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.okhttp.CallListener.AttemptKind;
import io.lb4j.okhttp.CallListener.Outcome;
import io.lb4j.okhttp.CallListener.RetryDecision;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The interceptor tells its listener of attempts, retry decisions and calls, in order. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CallListenerTest {

  private static int get(OkHttpClient client) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url("http://orders/").build()).execute()) {
      return response.code();
    }
  }

  @Test
  void aRetriedCallReportsBothAttemptsTheRetryAndTheCall() throws IOException {
    List<String> events = new CopyOnWriteArrayList<>();
    CallListener recorder = new CallListener() {
      @Override
      public void attemptEnded(String service, Endpoint endpoint, AttemptKind kind, Outcome outcome,
          long latencyNanos) {
        events.add(service + " attempt " + kind + " " + outcome);
      }

      @Override
      public void retryDecided(String service, RetryDecision decision) {
        events.add(service + " retry " + decision);
      }

      @Override
      public void callEnded(String service, Outcome outcome, long durationNanos) {
        events.add(service + " call " + outcome);
      }
    };
    try (Backends backends = new Backends(2);
        LoadBalancer balancer = LoadBalancer.builder(backends.serverList()).name("orders")
            .algorithm(Algorithms.roundRobin()).build()) {
      backends.respondAll(request -> Backends.status(503));
      OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(), LoadBalancingInterceptor
          .builder().service("orders", balancer).backoff(Duration.ZERO, Duration.ZERO)
          .maxAttempts(2).callListener(recorder).build());

      assertThat(get(client)).isEqualTo(503);
    }
    assertThat(events).containsExactly("orders attempt FIRST SERVER_ERROR", "orders retry RETRIED",
        "orders attempt RETRY SERVER_ERROR", "orders retry ATTEMPTS_EXHAUSTED",
        "orders call SERVER_ERROR");
  }

  @Test
  void aThrowingListenerDoesNotFailTheCall() throws IOException {
    CallListener throwing = new CallListener() {
      @Override
      public void callEnded(String service, Outcome outcome, long durationNanos) {
        throw new IllegalStateException("listener bug");
      }
    };
    try (Backends backends = new Backends(1);
        LoadBalancer balancer = LoadBalancer.builder(backends.serverList()).name("orders").build()) {
      OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(),
          LoadBalancingInterceptor.builder().service("orders", balancer).callListener(throwing).build());

      assertThat(get(client)).isEqualTo(200);
    }
  }
}
