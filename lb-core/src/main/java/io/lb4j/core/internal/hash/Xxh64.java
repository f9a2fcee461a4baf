package io.lb4j.core.internal.hash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * XXH64 with seed 0 (Yann Collet's xxHash, https://github.com/Cyan4973/xxHash): the one hash
 * function lb4j applies to keys and endpoint ids, so that every client process, on every JVM, maps
 * a key to the same endpoint. Output equals the reference implementation bit for bit.
 *
 * <p>Stateless and thread-safe; no method allocates. {@link #hashUtf8(CharSequence)} encodes UTF-8
 * on the fly (unpaired surrogates become {@code '?'}, as {@code String.getBytes(UTF_8)} does), so it
 * equals {@link #hash(byte[])} of the string's UTF-8 bytes without materializing them.
 */
public final class Xxh64 {
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private Xxh64() {}

  /** XXH64 of all of {@code bytes}. */
  public static long hash(byte[] bytes) {
    return hash(bytes, 0, bytes.length);
  }

  /**
   * XXH64 of {@code bytes[offset, offset + length)}.
   *
   * @throws IndexOutOfBoundsException if the range is outside the array
   */
  public static long hash(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    int p = offset;
    int end = offset + length;
    long h;
    if (length >= 32) {
      long v1 = P1 + P2;
      long v2 = P2;
      long v3 = 0;
      long v4 = -P1;
      int lastStripe = end - 32;
      do {
        v1 = round(v1, (long) LONGS.get(bytes, p));
        v2 = round(v2, (long) LONGS.get(bytes, p + 8));
        v3 = round(v3, (long) LONGS.get(bytes, p + 16));
        v4 = round(v4, (long) LONGS.get(bytes, p + 24));
        p += 32;
      } while (p <= lastStripe);
      h = mergeLanes(v1, v2, v3, v4);
    } else {
      h = P5;
    }
    h += length;
    for (; p + 8 <= end; p += 8) {
      h = tail8(h, (long) LONGS.get(bytes, p));
    }
    if (p + 4 <= end) {
      h = tail4(h, (int) INTS.get(bytes, p));
      p += 4;
    }
    for (; p < end; p++) {
      h = tail1(h, bytes[p]);
    }
    return avalanche(h);
  }

  /** XXH64 of the UTF-8 encoding of {@code chars}, computed without encoding into a buffer. */
  public static long hashUtf8(CharSequence chars) {
    long v1 = P1 + P2;
    long v2 = P2;
    long v3 = 0;
    long v4 = -P1;
    // The current stripe's first three complete 8-byte words, the word being filled, and counts.
    long w0 = 0;
    long w1 = 0;
    long w2 = 0;
    long word = 0;
    int wordBytes = 0;
    int lane = 0;
    long total = 0;
    int n = chars.length();
    int i = 0;
    while (i < n) {
      char c = chars.charAt(i++);
      int encoded;
      int encodedLength;
      if (c < 0x80) {
        encoded = c;
        encodedLength = 1;
      } else if (c < 0x800) {
        encoded = (0xC0 | c >> 6) | (0x80 | c & 0x3F) << 8;
        encodedLength = 2;
      } else if (!Character.isSurrogate(c)) {
        encoded = (0xE0 | c >> 12) | (0x80 | c >> 6 & 0x3F) << 8 | (0x80 | c & 0x3F) << 16;
        encodedLength = 3;
      } else if (Character.isHighSurrogate(c) && i < n && Character.isLowSurrogate(chars.charAt(i))) {
        int cp = Character.toCodePoint(c, chars.charAt(i++));
        encoded = (0xF0 | cp >> 18) | (0x80 | cp >> 12 & 0x3F) << 8 | (0x80 | cp >> 6 & 0x3F) << 16
            | (0x80 | cp & 0x3F) << 24;
        encodedLength = 4;
      } else {
        encoded = '?';
        encodedLength = 1;
      }
      for (int k = 0; k < encodedLength; k++, encoded >>>= 8) {
        word |= (long) (encoded & 0xFF) << (wordBytes << 3);
        if (++wordBytes == 8) {
          switch (lane) {
            case 0 -> w0 = word;
            case 1 -> w1 = word;
            case 2 -> w2 = word;
            default -> {
              v1 = round(v1, w0);
              v2 = round(v2, w1);
              v3 = round(v3, w2);
              v4 = round(v4, word);
            }
          }
          lane = (lane + 1) & 3;
          word = 0;
          wordBytes = 0;
        }
      }
      total += encodedLength;
    }
    long h = total >= 32 ? mergeLanes(v1, v2, v3, v4) : P5;
    h += total;
    if (lane > 0) {
      h = tail8(h, w0);
    }
    if (lane > 1) {
      h = tail8(h, w1);
    }
    if (lane > 2) {
      h = tail8(h, w2);
    }
    if (wordBytes >= 4) {
      h = tail4(h, (int) word);
      word >>>= 32;
      wordBytes -= 4;
    }
    for (; wordBytes > 0; wordBytes--, word >>>= 8) {
      h = tail1(h, (byte) word);
    }
    return avalanche(h);
  }

  /** XXH64 of the 8 little-endian bytes of {@code value}. */
  public static long hashLong(long value) {
    return avalanche(tail8(P5 + 8, value));
  }

  /**
   * XXH64 of the 16 bytes {@code first} then {@code second}, each little-endian: how lb4j combines
   * a hash with another value (a vnode index, a key hash) into a new, well-mixed hash.
   */
  public static long hashLongs(long first, long second) {
    return avalanche(tail8(tail8(P5 + 16, first), second));
  }

  private static long round(long acc, long input) {
    return Long.rotateLeft(acc + input * P2, 31) * P1;
  }

  private static long mergeLanes(long v1, long v2, long v3, long v4) {
    long h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12)
        + Long.rotateLeft(v4, 18);
    h = (h ^ round(0, v1)) * P1 + P4;
    h = (h ^ round(0, v2)) * P1 + P4;
    h = (h ^ round(0, v3)) * P1 + P4;
    return (h ^ round(0, v4)) * P1 + P4;
  }

  private static long tail8(long h, long word) {
    return Long.rotateLeft(h ^ round(0, word), 27) * P1 + P4;
  }

  private static long tail4(long h, int word) {
    return Long.rotateLeft(h ^ (word & 0xFFFFFFFFL) * P1, 23) * P2 + P3;
  }

  private static long tail1(long h, byte b) {
    return Long.rotateLeft(h ^ (b & 0xFF) * P5, 11) * P1;
  }

  private static long avalanche(long h) {
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    return h ^ h >>> 32;
  }
}
