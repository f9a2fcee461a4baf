package io.lb4j.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Xxh64Test {

  /**
   * The xxHash project's sanity buffer (cli/xsum_sanity_check.c, XSUM_fillTestBuffer): byte i is the
   * top byte of PRIME32 × PRIME64^i, with xxhsum's own PRIME64.
   */
  private static byte[] sanityBuffer(int length) {
    byte[] buffer = new byte[length];
    long byteGen = 2654435761L;
    for (int i = 0; i < length; i++) {
      buffer[i] = (byte) (byteGen >>> 56);
      byteGen *= 0x9E3779B185EBCA8DL; // xxhsum's PRIME64, 11400714785074694797
    }
    return buffer;
  }

  @Test
  void matchesTheOfficialSeedZeroVectorsForEveryLengthPath() {
    // XSUM_XXH64_testdata in xxHash's cli/xsum_sanity_check.c, seed 0 rows.
    assertThat(Xxh64.hash(sanityBuffer(0))).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(Xxh64.hash(sanityBuffer(1))).isEqualTo(0xE934A84ADB052768L);
    assertThat(Xxh64.hash(sanityBuffer(4))).isEqualTo(0x9136A0DCA57457EEL);
    assertThat(Xxh64.hash(sanityBuffer(14))).isEqualTo(0x8282DCC4994E35C8L);
    assertThat(Xxh64.hash(sanityBuffer(222))).isEqualTo(0xB641AE8CB691C174L);
  }

  @Test
  void hashOfASubrangeEqualsHashOfACopyOfIt() {
    byte[] buffer = sanityBuffer(300);
    qt().withExamples(300).forAll(integers().between(0, 150), integers().between(0, 150))
        .checkAssert((offset, length) -> assertThat(Xxh64.hash(buffer, offset, length))
            .isEqualTo(Xxh64.hash(Arrays.copyOfRange(buffer, offset, offset + length))));
  }

  @Test
  void stringHashEqualsHashOfItsUtf8BytesForAnyString() {
    qt().withExamples(2000).forAll(strings().allPossible().ofLengthBetween(0, 90))
        .checkAssert(s -> assertThat(Xxh64.hashUtf8(s))
            .as("'%s'", s)
            .isEqualTo(Xxh64.hash(s.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void stringHashCoversAsciiTwoThreeAndFourByteCharactersAndLoneSurrogates() {
    String[] samples = {
      "", "a", "abc", "abcd", "user-42", "10.0.0.1:8080", "é", "naïve café", "日本語のキー",
      "emoji \uD83D\uDE00 and \uD83C\uDF89", "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00x",
      "lone high \uD83D end", "lone low \uDE00 end", "\uD83D", "x".repeat(31), "y".repeat(32),
      "z".repeat(33), "ü".repeat(40), "€".repeat(50)
    };
    for (String s : samples) {
      assertThat(Xxh64.hashUtf8(s)).as("'%s'", s).isEqualTo(Xxh64.hash(s.getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void longHashesEqualHashesOfTheirLittleEndianBytes() {
    qt().withExamples(500).forAll(longs().all(), longs().all()).checkAssert((a, b) -> {
      ByteBuffer both = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(a).putLong(b);
      assertThat(Xxh64.hashLongs(a, b)).isEqualTo(Xxh64.hash(both.array()));
      assertThat(Xxh64.hashLong(a)).isEqualTo(Xxh64.hash(Arrays.copyOf(both.array(), 8)));
    });
  }
}
