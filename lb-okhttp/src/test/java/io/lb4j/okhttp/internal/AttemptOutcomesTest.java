package io.lb4j.okhttp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AttemptOutcomesTest {
  private static final long BOUND = TimeUnit.SECONDS.toNanos(10);

  @Test
  void anOutcomeClaimedButNotYetQueuedWhenAbandonFailsIsStillTaken() throws Exception {
    CountDownLatch claimed = new CountDownLatch(1);
    CountDownLatch mayQueue = new CountDownLatch(1);
    AttemptOutcomes<String> outcomes = new AttemptOutcomes<>(() -> {
      claimed.countDown();
      await(mayQueue);
    });
    AttemptOutcomes.Slot slot = new AttemptOutcomes.Slot();
    CompletableFuture<Boolean> delivery =
        CompletableFuture.supplyAsync(() -> outcomes.deliver(slot, "late answer"));
    assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();

    // The window the old drain fell into: the abandon fails, yet nothing is queued.
    assertThat(outcomes.abandon(slot)).isFalse();
    assertThat(outcomes.poll(0)).isNull();

    CompletableFuture<List<String>> taken =
        CompletableFuture.supplyAsync(() -> outcomes.takeClaimed(1, BOUND));
    mayQueue.countDown();

    assertThat(taken.get(10, TimeUnit.SECONDS)).containsExactly("late answer");
    assertThat(delivery.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anAbandonedAttemptRefusesItsDeliveryAndQueuesNothing() throws Exception {
    AttemptOutcomes<String> outcomes = new AttemptOutcomes<>();
    AttemptOutcomes.Slot slot = new AttemptOutcomes.Slot();

    assertThat(outcomes.abandon(slot)).isTrue();

    assertThat(outcomes.deliver(slot, "too late")).isFalse();
    assertThat(outcomes.poll(0)).isNull();
    assertThat(outcomes.takeClaimed(0, BOUND)).isEmpty();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
