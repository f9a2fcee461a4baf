package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A balancer closed while a call waits out its retry backoff: the call's last answer stands, or
 * its failure carries every earlier attempt's cause (before the fix, the balancer's refusal
 * replaced both with a bare "closed" IOException).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BalancerClosedDuringBackoffTest {
  @RegisterExtension final Harness harness = new Harness();

  /** Closed during the backoff after a retryable 503: the 503 should stand, as it does when
   * the balancer closes during the attempt (ClosedBalancerTest). */
  @Test
  void balancerClosedDuringBackoffKeepsTheLastAnswer() throws IOException {
    Backends backends = harness.backends(2);
    LoadBalancer balancer = harness.balancer(backends.serverList());
    backends.respondAll(request -> Backends.status(503));
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(),
        harness.interceptor(balancer).sleeper((nanos, call) -> balancer.close()).build());

    try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
      assertThat(response.code()).isEqualTo(503);
    }
  }

  /** Closed during the backoff after a refused connection: the final error loses the cause. */
  @Test
  void balancerClosedDuringBackoffKeepsTheEarlierAttemptsCause() throws IOException {
    LoadBalancer balancer = harness.balancer(
        MutableServerList.of(Backends.refusedEndpoint(), Backends.refusedEndpoint()));
    OkHttpClient client = LoadBalancedOkHttp.wrap(new OkHttpClient(),
        harness.interceptor(balancer).sleeper((nanos, call) -> balancer.close()).build());

    IOException e = catchThrowableOfType(
        () -> client.newCall(Harness.get("http://orders/")).execute(), IOException.class);

    assertThat(e).isNotNull();
    boolean carriesConnect = e instanceof ConnectException
        || Arrays.stream(e.getSuppressed()).anyMatch(s -> s instanceof ConnectException);
    assertThat(carriesConnect)
        .as("the final exception carries the first attempt's ConnectException: %s", e)
        .isTrue();
  }
}
