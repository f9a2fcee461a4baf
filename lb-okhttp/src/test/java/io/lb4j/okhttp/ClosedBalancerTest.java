package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.LoadBalancer;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A call to a service whose balancer was closed fails with an {@link IOException} naming the
 * balancer, whichever way it is made, and sends nothing: OkHttp hands an interceptor's runtime
 * exception to {@code enqueue()} callers only as "canceled due to ..." and rethrows it on its
 * dispatcher thread.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClosedBalancerTest {
  @RegisterExtension final Harness harness = new Harness();

  @Test
  void executeThroughAClosedBalancerFailsNamingItAndSendsNothing() throws IOException {
    Backends backends = harness.backends(2);
    LoadBalancer balancer = harness.balancer(backends.serverList());
    OkHttpClient client = harness.client(balancer);
    client.newCall(Harness.get("http://orders/")).execute().close();

    balancer.close();

    assertThatThrownBy(() -> client.newCall(Harness.get("http://orders/")).execute())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("load balancer 'orders' is closed");
    assertThat(backends.totalRequests()).isEqualTo(1);
  }

  @Test
  void enqueueThroughAClosedBalancerFailsNamingItNotAsACancel() throws Exception {
    Backends backends = harness.backends(2);
    LoadBalancer balancer = harness.balancer(backends.serverList());
    OkHttpClient client = harness.client(balancer);
    balancer.close();

    CompletableFuture<Response> call = Harness.enqueue(client.newCall(Harness.get("http://orders/")));

    assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("load balancer 'orders' is closed");
    assertThat(backends.totalRequests()).isZero();
  }

  @Test
  void balancerClosedDuringACallSendsNoRetryAndTheLastAnswerStands() throws IOException {
    Backends backends = harness.backends(2);
    LoadBalancer balancer = harness.balancer(backends.serverList());
    backends.respondAll(request -> {
      balancer.close(); // while the first attempt is out: its retry must not be picked
      return Backends.status(503);
    });
    OkHttpClient client = harness.client(balancer);

    try (Response response = client.newCall(Harness.get("http://orders/")).execute()) {
      assertThat(response.code()).isEqualTo(503);
    }
    assertThat(backends.totalRequests()).isEqualTo(1);
  }
}
