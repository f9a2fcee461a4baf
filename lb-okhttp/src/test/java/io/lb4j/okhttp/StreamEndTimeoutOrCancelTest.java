package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lb4j.core.EndpointStats;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okio.BufferedSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A streamed body cut by the call timeout is its endpoint's failure; cut by the caller's cancel,
 * nothing: told apart by the exception the read gets, not by the interceptor's own clock (OkHttp
 * starts the call timeout earlier, and a cancel may come at any time).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamEndTimeoutOrCancelTest {
  @RegisterExtension final Harness harness = new Harness();
  private final ManualTicker ticker = new ManualTicker();

  @Test
  void callerCancelingAStreamedBodyLateInTheCallTimeoutCountsNeitherWay() throws Exception {
    HeldStreamServer server = harness.closeLater(HeldStreamServer.chunked("application/json"));
    LoadBalancer balancer = harness.balancer(MutableServerList.of(List.of(server.endpoint())));
    OkHttpClient client = LoadBalancedOkHttp.wrap(
        new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(60)).build(),
        harness.interceptor(balancer).ticker(ticker).build());
    Call call = client.newCall(Harness.post("http://orders/watch"));

    try (Response response = call.execute()) {
      BufferedSource body = response.body().source();
      HeldStreamServer.readFirst(body);
      // By the interceptor's clock, within the last tenth of the call timeout.
      ticker.advance(Duration.ofSeconds(59));

      assertThat(HeldStreamServer.cancelDuringRead(call, body)).isInstanceOf(IOException.class);
    }

    EndpointStats stats = Harness.stats(balancer, server.endpoint());
    assertThat(stats.failures()).isZero();
    assertThat(stats.inFlight()).isZero();
  }

  @Test
  void callTimeoutCuttingAStreamedBodyIsTheEndpointsFailureWhateverTheInterceptorsClockSays()
      throws Exception {
    HeldStreamServer server = harness.closeLater(HeldStreamServer.chunked("application/json"));
    LoadBalancer balancer = harness.balancer(MutableServerList.of(List.of(server.endpoint())));
    OkHttpClient client = LoadBalancedOkHttp.wrap(
        new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(1)).build(),
        harness.interceptor(balancer).ticker(ticker).build());

    try (Response response = client.newCall(Harness.post("http://orders/watch")).execute()) {
      BufferedSource body = response.body().source();
      HeldStreamServer.readFirst(body);
      // The interceptor's clock stands still: by it, the whole call timeout is left.
      assertThat(catchThrowable(body::readUtf8)).isInstanceOf(IOException.class)
          .hasMessage("timeout");
    }

    EndpointStats stats = Harness.stats(balancer, server.endpoint());
    assertThat(stats.failures()).isEqualTo(1);
    assertThat(stats.inFlight()).isZero();
  }
}
