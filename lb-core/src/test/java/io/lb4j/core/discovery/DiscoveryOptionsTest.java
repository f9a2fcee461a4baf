package io.lb4j.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class DiscoveryOptionsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    DiscoveryOptions defaults = DiscoveryOptions.defaults();
    assertThat(defaults.initialWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(defaults.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.jitterPercent()).isEqualTo(20);
    assertThat(defaults.emptyAnswers()).isEqualTo(EmptyAnswerPolicy.KEEP_LAST_NON_EMPTY);
  }

  @Test
  void badValuesFailNamingFieldBoundAndValue() {
    DiscoveryOptions.Builder builder = DiscoveryOptions.builder();
    assertThatThrownBy(() -> builder.initialWait(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("initialWait must be > 0, was PT0S");
    assertThatThrownBy(() -> builder.backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBackoff must be >= initialBackoff PT2S, was PT1S");
    assertThatThrownBy(() -> builder.backoff(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
        .hasMessage("initialBackoff must be > 0, was PT-1S");
    assertThatThrownBy(() -> builder.jitterPercent(51))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jitterPercent must be in [0, 50], was 51");
    assertThatThrownBy(() -> builder.jitterPercent(-1))
        .hasMessage("jitterPercent must be in [0, 50], was -1");
    assertThatThrownBy(() -> builder.scheduler(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("scheduler");
  }

  @Test
  void toBuilderKeepsEveryValue() {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      DiscoveryOptions options = DiscoveryOptions.builder().initialWait(Duration.ofSeconds(3))
          .backoff(Duration.ofMillis(100), Duration.ofSeconds(5)).jitterPercent(0)
          .emptyAnswers(EmptyAnswerPolicy.ALLOW_EMPTY).scheduler(scheduler).build();
      DiscoveryOptions copy = options.toBuilder().build();
      assertThat(copy).usingRecursiveComparison().isEqualTo(options);
      assertThat(copy.scheduler()).isSameAs(scheduler);
    } finally {
      scheduler.shutdownNow();
    }
  }
}
