package io.lb4j.examples;

/**
 * Hash keys for the examples' numbered users. Stateless.
 *
 * <p>Every client process must send a user to the same endpoint, so the key is a fixed function of
 * the user number (SplitMix64's output function), never an identity or JVM-dependent hash.
 */
final class UserKeys {
  private UserKeys() {}

  /** The hashed key of user number {@code user}: well mixed, the same in every process. */
  static long of(long user) {
    long z = user + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The session id of user number {@code user}, for sticky sessions. */
  static String sessionOf(int user) {
    return "user-" + user;
  }
}
