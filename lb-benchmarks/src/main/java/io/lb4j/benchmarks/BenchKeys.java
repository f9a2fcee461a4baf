package io.lb4j.benchmarks;

import io.lb4j.benchmarks.BenchAlgorithms.KeyUse;
import io.lb4j.core.KeyHash;
import io.lb4j.core.PickContext;
import java.util.SplittableRandom;

/**
 * Keys for affinity benchmarks and reports: a fixed set of realistic string keys (user ids), and the
 * one way the suite feeds a key into a {@link PickContext}.
 */
public final class BenchKeys {
  private BenchKeys() {}

  /** How many distinct keys a benchmark cycles through; a power of two, so cycling is a mask. */
  public static final int COUNT = 1 << 14;

  /** {@code count} distinct keys such as {@code user-3f9a2c71d0e4b815}, the same for a given seed. */
  public static String[] keys(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String[] keys = new String[count];
    for (int i = 0; i < count; i++) {
      keys[i] = "user-" + Long.toHexString(random.nextLong() | Long.MIN_VALUE) + "-" + i;
    }
    return keys;
  }

  /**
   * Sets what a pick with an algorithm of {@code use} needs from {@code key}: the key itself,
   * hashed by {@link PickContext#hashKey(String)} on every call (as a caller passing a user id
   * would), or the session id. Allocation-free.
   */
  public static void apply(PickContext context, KeyUse use, String key) {
    switch (use) {
      case HASH_KEY:
        context.hashKey(key);
        break;
      case SESSION_ID:
        context.sessionId(key);
        break;
      case NONE:
      default:
        break;
    }
  }

  /** The 64-bit hash of a string key, as lb4j's hash algorithms compute it: {@link KeyHash#of}. */
  public static long hash(String key) {
    return KeyHash.of(key);
  }
}
