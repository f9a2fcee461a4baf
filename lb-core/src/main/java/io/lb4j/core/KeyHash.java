package io.lb4j.core;

import io.lb4j.core.internal.hash.Xxh64;
import java.util.Objects;

/**
 * Hashes affinity keys exactly as lb4j's hash algorithms do: XXH64 with seed 0 (xxHash,
 * https://github.com/Cyan4973/xxHash) over the key's bytes, a string's being its UTF-8 encoding.
 * The result is the same in every process, on every JVM and platform, so precompute it once (for
 * example per user) and pass it to {@link PickContext#hashKey(long)}. Endpoint ids are hashed the
 * same way.
 *
 * <p>Stateless and thread-safe; allocation-free (strings are encoded on the fly, never copied).
 */
public final class KeyHash {
  private KeyHash() {}

  /**
   * XXH64 of the UTF-8 bytes of {@code key}; unpaired surrogates count as {@code '?'}, as in
   * {@code key.getBytes(StandardCharsets.UTF_8)}.
   *
   * @throws NullPointerException if {@code key} is null
   */
  public static long of(String key) {
    return Xxh64.hashUtf8(Objects.requireNonNull(key, "key"));
  }

  /**
   * XXH64 of {@code key}.
   *
   * @throws NullPointerException if {@code key} is null
   */
  public static long of(byte[] key) {
    return Xxh64.hash(Objects.requireNonNull(key, "key"));
  }
}
