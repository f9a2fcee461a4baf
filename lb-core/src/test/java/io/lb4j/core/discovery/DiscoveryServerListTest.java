package io.lb4j.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lb4j.core.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The base class as a pushed source (a watch) uses it, calling accept and fail itself, and the
 * polling loop's handling of a query that breaks its own contract.
 */
class DiscoveryServerListTest {
  // A real scheduler (lb-testkit's ManualScheduler would need a dependency cycle): its queue shows
  // the pending timers, and cancelled ones leave it at once.
  private final ScheduledThreadPoolExecutor scheduler = newScheduler();
  private final DiscoveryOptions options = DiscoveryOptions.builder().scheduler(scheduler)
      .initialWait(Duration.ofMinutes(5)).backoff(Duration.ofMillis(1), Duration.ofMillis(1))
      .build();

  private static ScheduledThreadPoolExecutor newScheduler() {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

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
    assertThat(scheduler.getQueue()).hasSize(1);

    source.push(Endpoint.of("10.0.0.1", 80));

    assertThat(scheduler.getQueue()).isEmpty();
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
    // Each query records the status the previous one left, so no step can be missed.
    List<DiscoveryStatus> seenByQuery = new CopyOnWriteArrayList<>();
    PollingServerList source = new PollingServerList("broken orders", options) {
      @Override
      protected CompletionStage<RegistryAnswer> query() {
        seenByQuery.add(status());
        switch (seenByQuery.size()) {
          case 1:
            throw new IllegalStateException("query bug");
          case 2:
            return CompletableFuture.completedFuture(null);
          default:
            return CompletableFuture.completedFuture(RegistryAnswer.builder("x").build());
        }
      }
    };
    source.start();

    await().atMost(Duration.ofSeconds(30)).until(source::isReady);
    source.close();

    DiscoveryStatus afterThrow = seenByQuery.get(1);
    assertThat(afterThrow.consecutiveFailures()).isEqualTo(1);
    assertThat(afterThrow.lastError()).get().asString().contains("query bug");
    DiscoveryStatus afterNull = seenByQuery.get(2);
    assertThat(afterNull.consecutiveFailures()).isEqualTo(2);
    assertThat(afterNull.lastError()).get().asString()
        .contains("query() completed without an answer");
    assertThat(source.status().consecutiveFailures()).isZero();
  }
}
