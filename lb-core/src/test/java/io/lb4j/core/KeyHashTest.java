package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyHashTest {

  @Test
  void stringKeyHashesAsItsUtf8Bytes() {
    for (String key : new String[] {"", "user-42", "Zoë", "ключ", "鍵", "\uD83D\uDD11 key", "bad \uD800"}) {
      assertThat(KeyHash.of(key)).as(key).isEqualTo(KeyHash.of(key.getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void emptyKeyIsXxh64OfNothingWithSeedZero() {
    assertThat(KeyHash.of("")).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(KeyHash.of(new byte[0])).isEqualTo(0xEF46DB3751D8E999L);
  }

  @Test
  void pickContextHashesStringAndByteKeysLikeKeyHash() {
    assertThat(PickContext.create().hashKey("cart-7").hashKey()).isEqualTo(KeyHash.of("cart-7"));
    byte[] raw = {1, 2, 3, 4, 5};
    assertThat(PickContext.create().hashKey(raw).hashKey()).isEqualTo(KeyHash.of(raw));
    assertThat(PickContext.create().hashKey("a").hashKey()).isNotEqualTo(KeyHash.of("b"));
  }

  @Test
  void nullKeysFailNamingTheKey() {
    assertThatThrownBy(() -> KeyHash.of((String) null)).isInstanceOf(NullPointerException.class)
        .hasMessage("key");
    assertThatThrownBy(() -> KeyHash.of((byte[]) null)).isInstanceOf(NullPointerException.class)
        .hasMessage("key");
    assertThatThrownBy(() -> PickContext.create().hashKey((String) null))
        .isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> PickContext.create().hashKey((byte[]) null))
        .isInstanceOf(NullPointerException.class).hasMessage("key");
  }
}
