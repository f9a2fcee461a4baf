package com.example.consumer;

import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import io.lb4j.okhttp.LoadBalancedOkHttp;
import java.io.IOException;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** README "Wrapping OkHttp": the snippet, over the service's existing client. */
public final class WrappingOkHttp {
  private WrappingOkHttp() {}

  /** Runs the snippet once (one call to "orders"), then closes its balancer. */
  public static void run(OkHttpClient existingClient) throws IOException {
    // snippet: WrappingOkHttp
    LoadBalancer orders = LoadBalancer.builder(MutableServerList.of(
        Endpoint.of("10.0.0.1", 8080), Endpoint.of("10.0.0.2", 8080))).name("orders").build();
    OkHttpClient client = LoadBalancedOkHttp.wrap(existingClient, Map.of("orders", orders));

    Request request = new Request.Builder().url("http://orders/v1/items").build();
    try (Response response = client.newCall(request).execute()) {  // enqueue() works too
      // served by a healthy instance of "orders"; hosts not in the map pass through untouched
    }
    // end snippet
    orders.close();
  }
}
