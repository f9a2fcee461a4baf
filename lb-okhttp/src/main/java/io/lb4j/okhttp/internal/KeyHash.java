package io.lb4j.okhttp.internal;

import java.nio.charset.StandardCharsets;

/**
 * Turns a request's affinity key into the 64-bit hash {@code PickContext.hashKey(long)} takes:
 * FNV-1a 64 over the key's UTF-8 bytes, then MurmurHash3's fmix64 finalizer to spread the bits.
 * Seedless and JVM-independent, so every client process maps a key alike.
 *
 * <p>Stop-gap until lb-core's {@code PickContext.hashKey(String)} lands; then the interceptor calls
 * that instead and this class goes.
 */
public final class KeyHash {
  private KeyHash() {}

  public static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
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
