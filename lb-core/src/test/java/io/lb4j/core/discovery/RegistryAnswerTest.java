package io.lb4j.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Endpoint;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistryAnswerTest {

  @Test
  void entryThatFailsToBuildIsSkippedAndCounted() {
    RegistryAnswer.Builder builder = RegistryAnswer.builder("test");
    assertThat(builder.add("good", () -> Endpoint.of("10.0.0.1", 80))).isTrue();
    assertThat(builder.add("bad port", () -> Endpoint.of("10.0.0.2", 0))).isFalse();
    assertThat(builder.add("missing field", () -> {
      throw new NullPointerException("Port");
    })).isFalse();
    RegistryAnswer answer = builder.build();
    assertThat(answer.endpoints()).containsExactly(Endpoint.of("10.0.0.1", 80));
    assertThat(answer.skipped()).isEqualTo(2);
  }

  @Test
  void entryTheSourceRejectsItselfCountsAsSkipped() {
    RegistryAnswer answer = RegistryAnswer.builder("test")
        .skip("explicit", "no address").refreshAfter(Duration.ofSeconds(5))
        .build();
    assertThat(answer.skipped()).isEqualTo(1);
    assertThat(answer.endpoints()).isEmpty();
    assertThat(answer.refreshAfter()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void secondEntryWithAnIdAlreadyInTheAnswerIsSkippedNotTheWholeAnswer() {
    RegistryAnswer.Builder builder = RegistryAnswer.builder("test");
    builder.add("first", () -> Endpoint.builder("10.0.0.1", 80).weight(2).build());
    assertThat(builder.add("second", () -> Endpoint.builder("10.0.0.1", 80).weight(3).build()))
        .isFalse();
    assertThat(builder.build().endpoints()).extracting(Endpoint::weight).containsExactly(2);
  }

  @Test
  void negativeRefreshIsRejected() {
    assertThatThrownBy(() -> RegistryAnswer.builder("test").refreshAfter(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refreshAfter must be >= 0, was PT-1S");
  }
}
