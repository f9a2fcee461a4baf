package io.lb4j.okhttp;

import io.lb4j.core.Endpoint;
import io.lb4j.core.HealthCheck;
import io.lb4j.okhttp.internal.EndpointUrls;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Actively probes an endpoint over HTTP: a GET of a path, healthy when the status falls in an
 * expected range before a timeout. Implements lb-core's {@link HealthCheck} SPI, so a
 * {@link io.lb4j.core.HealthTracker} probes every member with it:
 *
 * <pre>{@code
 * HealthTracker health = HealthTracker.builder()
 *     .healthCheck(OkHttpHealthCheck.builder(plainClient).path("/ready").build())
 *     .build();
 * }</pre>
 *
 * <p>Send it a plain client, not a load-balanced one: a probe must reach exactly the endpoint it
 * checks. Probes are asynchronous (OkHttp's dispatcher, so they never block the tracker's
 * scheduler) and never throw: any failure, timeout or unexpected status completes the future with
 * {@code false}, except an endpoint whose host OkHttp cannot put in a URL as it is (see
 * {@link LoadBalancingInterceptor}), which completes it exceptionally with the reason, for the
 * tracker to log; either way the probe failed. Cancelling the future cancels the OkHttp call and
 * releases its connection; the tracker does so when its
 * {@link io.lb4j.core.HealthTracker.Builder#healthCheckTimeout health-check timeout} runs out, so
 * the shorter of that and {@link Builder#timeout} bounds a probe. Thread-safe and immutable.
 */
public final class OkHttpHealthCheck implements HealthCheck {
  private final OkHttpClient client;
  private final String scheme;
  private final String path;
  private final int minStatus;
  private final int maxStatus;

  private OkHttpHealthCheck(Builder builder) {
    this.client = builder.client.newBuilder().callTimeout(builder.timeout).build();
    this.scheme = builder.scheme;
    this.path = builder.path;
    this.minStatus = builder.minStatus;
    this.maxStatus = builder.maxStatus;
  }

  /** A builder probing with {@code client}: GET /health over http, 2xx healthy, 2 s timeout. */
  public static Builder builder(OkHttpClient client) {
    return new Builder(client);
  }

  /**
   * Starts a probe of {@code endpoint} and returns at once; the future completes with whether it
   * answered as expected in time. Cancelling the future cancels the probe's call.
   */
  @Override
  public CompletableFuture<Boolean> check(Endpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    HttpUrl url;
    try {
      url = EndpointUrls.pointedAt(
          new HttpUrl.Builder().scheme(scheme).encodedPath(path), endpoint);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    Call call = client.newCall(new Request.Builder().url(url).build());
    call.enqueue(new Callback() {
      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          result.complete(response.code() >= minStatus && response.code() <= maxStatus);
        }
      }

      @Override
      public void onFailure(Call call, IOException e) {
        result.complete(false);
      }
    });
    // Canceling the future cancels the probe.
    result.whenComplete((healthy, failure) -> {
      if (result.isCancelled()) {
        call.cancel();
      }
    });
    return result;
  }

  @Override
  public String toString() {
    return "OkHttpHealthCheck{GET " + scheme + "://…" + path + " → " + minStatus + ".." + maxStatus + "}";
  }

  /** Configures an {@link OkHttpHealthCheck}; not thread-safe. Setters validate at once. */
  public static final class Builder {
    private final OkHttpClient client;
    private String scheme = "http";
    private String path = "/health";
    private int minStatus = 200;
    private int maxStatus = 299;
    private Duration timeout = Duration.ofSeconds(2);

    private Builder(OkHttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /** The path probed, starting with '/'. Default {@code /health}. */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path must start with '/', was '" + path + "'");
      }
      this.path = path;
      return this;
    }

    /** Probe over https instead of http. Default false. */
    public Builder https(boolean https) {
      this.scheme = https ? "https" : "http";
      return this;
    }

    /** Statuses counted healthy, both ends included. Default 200 to 299. */
    public Builder expectedStatus(int min, int max) {
      if (min < 100 || min > 599) {
        throw new IllegalArgumentException("min status must be in [100, 599], was " + min);
      }
      if (max < min || max > 599) {
        throw new IllegalArgumentException("max status must be in [" + min + ", 599], was " + max);
      }
      this.minStatus = min;
      this.maxStatus = max;
      return this;
    }

    /** How long a probe may take, connect to last header byte. Default 2 s. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** The check, configured as set here; the builder may be reused. */
    public OkHttpHealthCheck build() {
      return new OkHttpHealthCheck(this);
    }
  }
}
