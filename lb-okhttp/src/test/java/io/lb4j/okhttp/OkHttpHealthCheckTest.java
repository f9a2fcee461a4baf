package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class OkHttpHealthCheckTest {
  private final Backends backends;
  private final OkHttpHealthCheck check = OkHttpHealthCheck.builder(new OkHttpClient())
      .path("/ready").timeout(Duration.ofMillis(500)).build();

  OkHttpHealthCheckTest() throws IOException {
    backends = new Backends(1);
  }

  @AfterEach
  void close() {
    backends.close();
  }

  @Test
  void expectedStatusOnThePathIsHealthy() throws Exception {
    assertThat(check.check(backends.endpoint(0)).get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(backends.server(0).takeRequest(1, TimeUnit.SECONDS).getUrl().encodedPath()).isEqualTo("/ready");
  }

  @Test
  void unexpectedStatusIsUnhealthy() throws Exception {
    backends.respond(0, request -> Backends.status(503));

    assertThat(check.check(backends.endpoint(0)).get(5, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void customRangeDecides() throws Exception {
    backends.respond(0, request -> Backends.status(404));
    OkHttpHealthCheck lenient = OkHttpHealthCheck.builder(new OkHttpClient()).expectedStatus(200, 499).build();

    assertThat(lenient.check(backends.endpoint(0)).get(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void refusedConnectionIsUnhealthy() throws Exception {
    assertThat(check.check(Backends.refusedEndpoint()).get(5, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void answerSlowerThanTheTimeoutIsUnhealthy() throws Exception {
    backends.respond(0, request -> new MockResponse.Builder().code(200)
        .headersDelay(3, TimeUnit.SECONDS).build());

    assertThat(check.check(backends.endpoint(0)).get(5, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void badSettingsAreRejected() {
    OkHttpHealthCheck.Builder builder = OkHttpHealthCheck.builder(new OkHttpClient());
    assertThatThrownBy(() -> builder.path("ready"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("path must start with '/', was 'ready'");
    assertThatThrownBy(() -> builder.expectedStatus(300, 200))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("max status must be in [300, 599], was 200");
    assertThatThrownBy(() -> builder.expectedStatus(99, 200))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("min status must be in [100, 599], was 99");
    assertThatThrownBy(() -> builder.timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be > 0, was PT0S");
    assertThatThrownBy(() -> OkHttpHealthCheck.builder(null))
        .isInstanceOf(NullPointerException.class).hasMessage("client");
  }
}
