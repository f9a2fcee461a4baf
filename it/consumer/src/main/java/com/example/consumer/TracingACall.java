package com.example.consumer;

import io.lb4j.core.LoadBalancer;
import io.lb4j.okhttp.CallTrace;
import io.lb4j.okhttp.LoadBalancedOkHttp;
import io.lb4j.okhttp.LoadBalancingInterceptor;
import java.io.IOException;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** README "Tracing a call": the snippet, over the service's existing client. */
public final class TracingACall {
  private TracingACall() {}

  /** Runs the snippet once (one call to "orders"), handing its trace to {@code report}. */
  public static void run(OkHttpClient existingClient, LoadBalancer orders,
      Consumer<CallTrace> report) throws IOException {
    // snippet: TracingACall
    OkHttpClient client = LoadBalancedOkHttp.wrap(existingClient, LoadBalancingInterceptor.builder()
        .service("orders", orders)
        .callTrace(CallTrace.Detail.ATTEMPTS)  // ATTEMPTS_AND_EXPLANATIONS: each pick's explain() too
        .build());

    Request request = new Request.Builder().url("http://orders/v1/items").build();
    try (Response response = client.newCall(request).execute()) {
      CallTrace.of(response).ifPresent(report);  // every attempt, the one that answered last
    } catch (IOException e) {
      CallTrace.of(e).ifPresent(report);  // every attempt that failed, and how
      throw e;
    }
    // end snippet
  }
}
