package io.lb4j.okhttp;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Validates lists of HTTP status codes given to builders. */
final class StatusCodes {
  private StatusCodes() {}

  /**
   * {@code codes} as an immutable set.
   *
   * @throws IllegalArgumentException naming {@code what} and the code, if one is not in [100, 599]
   */
  static Set<Integer> of(String what, int... codes) {
    Objects.requireNonNull(codes, "codes");
    Set<Integer> set = new TreeSet<>();
    for (int code : codes) {
      if (code < 100 || code > 599) {
        throw new IllegalArgumentException(what + " must be in [100, 599], was " + code);
      }
      set.add(code);
    }
    return Set.copyOf(set);
  }
}
