package io.lb4j.okhttp;

import okhttp3.Request;

/**
 * A request tag declaring a call safe to send twice even though its method is not idempotent by
 * definition (a POST carrying an idempotency key, for instance), so that the interceptor may retry
 * it after it may have reached a server:
 *
 * <pre>{@code
 * Request request = new Request.Builder().url("http://orders/v1/items").post(body)
 *     .tag(Idempotent.class, Idempotent.INSTANCE)
 *     .build();
 * }</pre>
 *
 * A one-shot body ({@link okhttp3.RequestBody#isOneShot()}) is still never sent twice.
 *
 * <p>A stateless singleton: thread-safe.
 */
public final class Idempotent {
  /** The tag value. */
  public static final Idempotent INSTANCE = new Idempotent();

  private Idempotent() {}

  /** Whether {@code request} carries this tag; {@code request} must not be null. */
  public static boolean isMarked(Request request) {
    return request.tag(Idempotent.class) != null;
  }

  @Override
  public String toString() {
    return "Idempotent";
  }
}
