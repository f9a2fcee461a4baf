package io.lb4j.okhttp;

import java.util.Objects;
import okhttp3.Request;

/**
 * Reads a routing key from a request: the affinity key of hash-based algorithms
 * ({@link LoadBalancingInterceptor.Builder#hashKey}) or the session id of sticky sessions
 * ({@link LoadBalancingInterceptor.Builder#stickySession}). Implementations must be thread-safe and
 * cheap: one runs on every call of its service.
 */
@FunctionalInterface
public interface RequestKey {

  /** The key carried by {@code request}, or null if it carries none (the pick then goes without). */
  String valueOrNull(Request request);

  /** The first value of header {@code name}. */
  static RequestKey header(String name) {
    Objects.requireNonNull(name, "name");
    return request -> request.header(name);
  }

  /** The value of cookie {@code name} in the request's {@code Cookie} headers. */
  static RequestKey cookie(String name) {
    Objects.requireNonNull(name, "name");
    return request -> {
      for (String header : request.headers("Cookie")) {
        for (String pair : header.split(";")) {
          int eq = pair.indexOf('=');
          if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
            return pair.substring(eq + 1).trim();
          }
        }
      }
      return null;
    };
  }

  /** The first value of query parameter {@code name}. */
  static RequestKey queryParameter(String name) {
    Objects.requireNonNull(name, "name");
    return request -> request.url().queryParameter(name);
  }

  /** The {@code toString()} of the request's tag of type {@code type}. */
  static RequestKey tag(Class<?> type) {
    Objects.requireNonNull(type, "type");
    return request -> {
      Object tag = request.tag(type);
      return tag != null ? tag.toString() : null;
    };
  }
}
