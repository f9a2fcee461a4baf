package io.lb4j.examples;

import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.Pick;
import io.lb4j.core.PickContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The orders service's client for the inventory service: each call picks an instance through a
 * {@link LoadBalancer}, sends the request with the JDK's {@link HttpClient}, and reports the outcome
 * with {@link Pick#complete}. A failed attempt (connection refused, timeout, 5xx) is retried on an
 * instance this call has not tried, up to {@code maxAttempts}; that is safe because stock look-ups
 * are idempotent GETs.
 *
 * <p>{@link #attempt} is the only code that touches HTTP and the balancer's pick/complete cycle:
 * when lb-okhttp's interceptor is in use, it becomes one OkHttp call to
 * {@code http://inventory/stock/{sku}}, and the retry loop moves into the interceptor.
 *
 * <p>Thread-safe. {@link #close()} closes the balancer.
 */
final class InventoryClient implements AutoCloseable {

  /** One stock answer: the quantity, the instance that served it, and every instance tried. */
  record StockReply(String sku, int quantity, String servedBy, List<String> tried) {
    int attempts() {
      return tried.size();
    }
  }

  private final InventoryClientConfig config;
  private final LoadBalancer lb;
  private final HttpClient http;

  InventoryClient(InventoryClientConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.lb = config.newLoadBalancer();
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(config.timeout())
        .build();
  }

  /**
   * The stock of {@code sku}.
   *
   * @throws IOException the last attempt's failure, earlier ones attached as suppressed, once
   *     {@code maxAttempts} instances failed (or none was left to try)
   * @throws io.lb4j.core.NoEndpointAvailableException if no instance can take the call at all
   */
  StockReply stock(String sku) throws IOException, InterruptedException {
    Objects.requireNonNull(sku, "sku");
    PickContext context = PickContext.create();
    List<String> tried = new ArrayList<>(config.maxAttempts());
    IOException failure = null;
    // Attempt 1 always picks, so an empty or all-ejected list surfaces as NoEndpointAvailableException.
    for (int attempt = 1; attempt <= config.maxAttempts() && (attempt == 1 || tried.size() < lb.endpoints().size());
        attempt++) {
      Pick pick = lb.pick(context.attempt(attempt));
      Endpoint endpoint = pick.endpoint();
      tried.add(endpoint.id());
      try {
        HttpResponse<String> response = attempt(pick, sku);
        return new StockReply(sku, Integer.parseInt(response.body().trim()),
            response.headers().firstValue(InventoryBackend.INSTANCE_HEADER).orElse(endpoint.id()), List.copyOf(tried));
      } catch (IOException e) {
        if (failure != null) {
          e.addSuppressed(failure);
        }
        failure = e;
        context.exclude(endpoint);
      }
    }
    throw Objects.requireNonNull(failure);
  }

  /** One attempt on the picked instance; completes {@code pick} exactly once. */
  private HttpResponse<String> attempt(Pick pick, String sku) throws IOException, InterruptedException {
    Endpoint endpoint = pick.endpoint();
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://" + endpoint.address() + "/stock/" + sku))
        .timeout(config.timeout())
        .GET()
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException | RuntimeException e) {
      pick.complete(false);
      throw e;
    } catch (InterruptedException e) {
      // The caller gave up, not the instance: do not count it against the instance's health.
      pick.complete(true);
      throw e;
    }
    boolean served = response.statusCode() < 500;
    pick.complete(served);
    if (!served) {
      throw new IOException(config.service() + " instance " + endpoint.id() + " answered " + response.statusCode());
    }
    return response;
  }

  LoadBalancer loadBalancer() {
    return lb;
  }

  @Override
  public void close() {
    lb.close();
  }
}
