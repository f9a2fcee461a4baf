package io.lb4j.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The base class as a pushed source (a watch) uses it, calling accept and fail itself, and the
 * polling loop's handling of a query that breaks its own contract.
 */
class DiscoveryServerListTest {
  private final ManualScheduler scheduler = new ManualScheduler();
  private final DiscoveryOptions options = DiscoveryOptions.builder().scheduler(scheduler)
      .clock(scheduler.clock()).initialWait(Duration.ofSeconds(5)).build();

  /** A source whose registry pushes answers: the test plays the watch. */
  static final class PushedSource extends DiscoveryServerList {
    int starts;
    int closes;

    PushedSource(DiscoveryOptions options) {
      super("pushed orders", options);
    }

    @Override
    protected void onStart() {
      starts++;
    }

    @Override
    protected void onClose() {
      closes++;
    }

    void push(Endpoint... endpoints) {
      RegistryAnswer.Builder answer = RegistryAnswer.builder(name());
      for (Endpoint endpoint : endpoints) {
        answer.add(endpoint.id(), () -> endpoint);
      }
      accept(answer.build());
    }

    int lose(Throwable cause) {
      return fail(cause);
    }
  }

  @Test
  void pushedAnswersAndLostConnectionsFollowTheSameRules() {
    PushedSource source = new PushedSource(options);
    source.start();
    assertThat(source.starts).isEqualTo(1);

    source.push(Endpoint.of("10.0.0.1", 80), Endpoint.of("10.0.0.2", 80));
    assertThat(source.isReady()).isTrue();
    assertThat(source.lose(new IllegalStateException("session lost"))).isEqualTo(1);
    assertThat(source.lose(new IllegalStateException("session lost"))).isEqualTo(2);
    assertThat(source.endpoints()).hasSize(2);

    source.push(Endpoint.of("10.0.0.2", 80));
    assertThat(source.endpoints()).containsExactly(Endpoint.of("10.0.0.2", 80));
    assertThat(source.status().consecutiveFailures()).isZero();

    source.close();
    source.close();
    assertThat(source.closes).isEqualTo(1);
    source.push(Endpoint.of("10.0.0.3", 80));
    assertThat(source.endpoints()).containsExactly(Endpoint.of("10.0.0.2", 80));
    assertThat(source.lose(new IllegalStateException("late"))).isZero();
  }

  @Test
  void readinessBeforeTheTimerCancelsTheTimer() {
    PushedSource source = new PushedSource(options);
    source.start();
    assertThat(scheduler.pending()).isEqualTo(1);

    source.push(Endpoint.of("10.0.0.1", 80));

    assertThat(scheduler.pending()).isZero();
    source.close();
  }

  @Test
  void startingTwiceIsABug() {
    PushedSource source = new PushedSource(options);
    source.start();
    assertThatThrownBy(source::start).isInstanceOf(IllegalStateException.class)
        .hasMessage("pushed orders already started");
    source.close();
  }

  @Test
  void blankNameIsRejected() {
    assertThatThrownBy(() -> new PollingServerList(" ", options) {
      @Override
      protected CompletionStage<RegistryAnswer> query() {
        return new CompletableFuture<>();
      }
    }).isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be blank, was ' '");
  }

  @Test
  void queryThatThrowsOrAnswersNullCountsAsAFailedQueryAndTheLoopGoesOn() {
    List<CompletionStage<RegistryAnswer>> answers = new java.util.ArrayList<>(List.of(
        CompletableFuture.completedFuture(null),
        CompletableFuture.completedFuture(RegistryAnswer.builder("x").build())));
    PollingServerList source = new PollingServerList("broken orders", options) {
      private boolean thrown;

      @Override
      protected CompletionStage<RegistryAnswer> query() {
        if (!thrown) {
          thrown = true;
          throw new IllegalStateException("query bug");
        }
        return answers.remove(0);
      }
    };
    source.start();

    scheduler.runNext();
    assertThat(source.status().consecutiveFailures()).isEqualTo(1);
    assertThat(source.status().lastError()).get().asString().contains("query bug");
    scheduler.runNext();
    assertThat(source.status().consecutiveFailures()).isEqualTo(2);
    assertThat(source.status().lastError()).get().asString()
        .contains("query() completed without an answer");
    scheduler.runNext();
    assertThat(source.isReady()).isTrue();
    source.close();
  }
}
