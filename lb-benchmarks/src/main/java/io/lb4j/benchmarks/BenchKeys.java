package io.lb4j.benchmarks;

import io.lb4j.benchmarks.BenchAlgorithms.KeyUse;
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

  /** Sets what a pick with an algorithm of {@code use} needs from {@code key}. Allocation-free. */
  public static void apply(PickContext context, KeyUse use, String key) {
    switch (use) {
      case HASH_KEY:
        context.hashKey(hash(key));
        break;
      case SESSION_ID:
        context.sessionId(key);
        break;
      case NONE:
      default:
        break;
    }
  }

  /**
   * The 64-bit hash of a string key, as the hash algorithms would compute it per call.
   *
   * <p>PLACEHOLDER — switch when the hashing branch merges: replace the body with lb4j's
   * {@code io.lb4j.core.KeyHash} (XXH64) and make {@link #apply} call
   * {@code context.hashKey(String)}, so the benchmarks and the "hash floor" measure the hash users
   * actually get. Until then this is FNV-1a over UTF-16 chars followed by MurmurHash3's fmix64 —
   * well mixed, allocation-free, but not lb4j's function, so hash-floor figures taken with it are
   * not the final ones.
   */
  public static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < key.length(); i++) {
      h ^= key.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
