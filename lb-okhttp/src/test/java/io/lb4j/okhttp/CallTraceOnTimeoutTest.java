package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A call that runs out of its call timeout still has its trace. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CallTraceOnTimeoutTest {
  @RegisterExtension final Harness harness = new Harness();

  /**
   * The call timeout is the case a trace is wanted for most; OkHttp replaces the interceptor's
   * exception by its own InterruptedIOException("timeout") with ours as its cause (before the fix,
   * CallTrace.of found nothing on what execute() threw).
   */
  @Test
  void aCallThatTimedOutCarriesItsTraceOnTheExceptionExecuteThrew() throws IOException {
    Backends backends = harness.backends(1);
    backends.respond(0, request -> new MockResponse.Builder().code(200).body("slow")
        .headersDelay(5_000, TimeUnit.MILLISECONDS).build());
    OkHttpClient client = LoadBalancedOkHttp.wrap(
        new OkHttpClient.Builder().callTimeout(Duration.ofMillis(300)).build(),
        harness.interceptor(harness.balancer(backends.serverList()))
            .callTrace(CallTrace.Detail.ATTEMPTS).build());

    IOException failure = catchThrowableOfType(IOException.class,
        () -> client.newCall(Harness.get("http://orders/")).execute());

    assertThat(failure).isInstanceOf(InterruptedIOException.class).hasMessage("timeout");
    assertThat(CallTrace.of(failure)).as("trace of a call that timed out: %s", failure).isPresent();
  }
}
