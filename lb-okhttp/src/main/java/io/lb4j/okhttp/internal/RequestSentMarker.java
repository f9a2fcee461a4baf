package io.lb4j.okhttp.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * A network interceptor that records, on the attempt's {@link Attempt} tag, that OkHttp holds a
 * connection for the attempt and is about to write the request. Network interceptors run only once
 * a connection exists, so an attempt that failed without reaching this point never sent a byte
 * of its request: retrying it is safe whatever the method.
 */
public enum RequestSentMarker implements Interceptor {
  INSTANCE;

  @Override
  public Response intercept(Chain chain) throws IOException {
    Attempt attempt = chain.request().tag(Attempt.class);
    if (attempt != null) {
      attempt.markReachedNetwork();
    }
    return chain.proceed(chain.request());
  }

  /** Per-attempt state shared between the load-balancing and the network interceptor. */
  public static final class Attempt {
    private volatile boolean reachedNetwork;

    void markReachedNetwork() {
      reachedNetwork = true;
    }

    public boolean reachedNetwork() {
      return reachedNetwork;
    }
  }
}
