package io.lb4j.okhttp.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * The first network interceptor of a wrapped client. For an attempt of the load-balancing
 * interceptor (a request carrying an {@link Attempt} tag) it does three things:
 * <ul>
 *   <li>records that OkHttp holds a connection and is about to write the request. Network
 *       interceptors run only once a connection exists, so an attempt that failed before this point
 *       never sent a byte of its request: retrying it is safe whatever the method;
 *   <li>turns a failure after that point into a {@link SentAttemptFailure}, which OkHttp's own
 *       {@code retryOnConnectionFailure} does not recover from: it would re-send the request, a
 *       POST included, to the same endpoint behind the balancer's back. Except an HTTP/2 GOAWAY
 *       or REFUSED_STREAM: the server did not process the request, and OkHttp's retry is safe;
 *   <li>disarms OkHttp's follow-up of a 503 with {@code Retry-After: 0} and of a 408, which re-send
 *       any method to the same endpoint; the attempt restores the header before anyone else
 *       sees it.
 * </ul>
 * Requests without the tag (hosts the balancer does not route) pass through untouched.
 */
public enum RequestSentMarker implements Interceptor {
  INSTANCE;

  @Override
  public Response intercept(Chain chain) throws IOException {
    Attempt attempt = chain.request().tag(Attempt.class);
    if (attempt == null) {
      return chain.proceed(chain.request());
    }
    attempt.markReachedNetwork();
    Response response;
    try {
      response = chain.proceed(chain.request());
    } catch (SentAttemptFailure e) {
      throw e;
    } catch (IOException e) {
      // Known unsent: OkHttp's own retry of it on a fresh stream is safe, whatever the method.
      if (isKnownUnsent(e)) {
        throw e;
      }
      throw new SentAttemptFailure(e);
    }
    return attempt.disarmFollowUp(response);
  }

  /**
   * Whether {@code e} says the server did not process the request: an HTTP/2 connection shutting
   * down (GOAWAY) before the stream started, or a stream the server refused (REFUSED_STREAM).
   */
  static boolean isKnownUnsent(IOException e) {
    // By name: okhttp3.internal.http2 is not exported by OkHttp's module, so lb4j may not link to
    // its types; StreamResetException's message is "stream was reset: " + its error code. The
    // suffix also matches an OkHttp relocated by a shading build.
    String type = e.getClass().getName();
    return type.endsWith(HTTP2 + "ConnectionShutdownException")
        || (type.endsWith(HTTP2 + "StreamResetException")
            && "stream was reset: REFUSED_STREAM".equals(e.getMessage()));
  }

  private static final String HTTP2 = ".internal.http2.";

  private static boolean isAllZeros(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }

  /** Per-attempt state shared between the load-balancing and the network interceptor. */
  public static final class Attempt {
    private static final String RETRY_AFTER = "Retry-After";
    // Not a number: OkHttp reads it as "not now" and leaves the response to us.
    private static final String DISARMED = "lb4j-no-follow-up";

    private volatile boolean reachedNetwork;
    private volatile boolean disarmed;
    private volatile String originalRetryAfter;

    void markReachedNetwork() {
      reachedNetwork = true;
    }

    public boolean reachedNetwork() {
      return reachedNetwork;
    }

    /** The response with OkHttp's same-endpoint follow-up turned off, if it would happen. */
    Response disarmFollowUp(Response response) {
      int code = response.code();
      String retryAfter = response.header(RETRY_AFTER);
      boolean zero = retryAfter != null && isAllZeros(retryAfter);
      boolean followedUp = (code == 503 && zero) || (code == 408 && (retryAfter == null || zero));
      if (!followedUp) {
        return response;
      }
      originalRetryAfter = retryAfter;
      disarmed = true;
      return response.newBuilder().header(RETRY_AFTER, DISARMED).build();
    }

    /** {@code response} as the server sent it: undoes {@link #disarmFollowUp}. */
    public Response restore(Response response) {
      if (!disarmed) {
        return response;
      }
      Response.Builder builder = response.newBuilder().removeHeader(RETRY_AFTER);
      if (originalRetryAfter != null) {
        builder.header(RETRY_AFTER, originalRetryAfter);
      }
      return builder.build();
    }
  }
}
