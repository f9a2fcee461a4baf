package io.lb4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Virtual time as the contract relies on it: order, clock, cancellation, argument checks. */
class ManualSchedulerTest {
  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<String> ran = new ArrayList<>();

  /** A task that records {@code name} when it runs (a Runnable: ran.add would be a Callable). */
  private Runnable record(String name) {
    return () -> ran.add(name);
  }

  @Test
  void advanceRunsDueTasksInOrderOfDueTimeThenOfSchedulingAndMovesTheClock() {
    Instant start = scheduler.clock().instant();
    scheduler.schedule(record("b at 2s"), 2, TimeUnit.SECONDS);
    scheduler.schedule(record("a at 1s"), 1, TimeUnit.SECONDS);
    scheduler.schedule(record("c at 2s"), 2, TimeUnit.SECONDS);
    scheduler.schedule(record("d at 3s"), 3, TimeUnit.SECONDS);

    scheduler.advance(Duration.ofMillis(2500));

    assertThat(ran).containsExactly("a at 1s", "b at 2s", "c at 2s");
    assertThat(scheduler.clock().instant()).isEqualTo(start.plusMillis(2500));
    assertThat(scheduler.pending()).isEqualTo(1);
    assertThat(scheduler.nextDelay()).contains(Duration.ofMillis(500));
  }

  @Test
  void aTaskScheduledByADueTaskRunsInTheSameAdvanceIfDueByItsEnd() {
    scheduler.schedule(() -> {
      ran.add("first");
      scheduler.schedule(record("second, 1s later"), 1, TimeUnit.SECONDS);
    }, 1, TimeUnit.SECONDS);

    scheduler.advance(Duration.ofSeconds(2));

    assertThat(ran).containsExactly("first", "second, 1s later");
    assertThat(scheduler.scheduledCount()).isEqualTo(2);
  }

  @Test
  void runNextSkipsToTheEarliestTaskAndCancelledTasksNeverRun() {
    ScheduledFuture<?> cancelled = scheduler.schedule(record("cancelled"), 1, TimeUnit.SECONDS);
    scheduler.schedule(record("kept"), 5, TimeUnit.SECONDS);
    assertThat(cancelled.cancel(false)).isTrue();

    assertThat(scheduler.runNext()).isEqualTo(Duration.ofSeconds(5));

    assertThat(ran).containsExactly("kept");
    assertThat(cancelled.isDone()).isTrue();
    assertThat(scheduler.pending()).isZero();
    assertThatThrownBy(scheduler::runNext).isInstanceOf(IllegalStateException.class)
        .hasMessage("no task pending");
  }

  @Test
  void executeRunsAtOnceOnTheCallingThread() {
    Thread caller = Thread.currentThread();
    List<Thread> threads = new ArrayList<>();

    scheduler.execute(() -> threads.add(Thread.currentThread()));

    assertThat(threads).containsExactly(caller);
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void badArgumentsAreRejectedNamingTheValue() {
    assertThatThrownBy(() -> scheduler.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration must be >= 0, was PT-1S");
    assertThatThrownBy(() -> scheduler.advance(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("duration");
    assertThatThrownBy(() -> scheduler.schedule((Runnable) null, 1, TimeUnit.SECONDS))
        .isInstanceOf(NullPointerException.class).hasMessage("command");
    assertThatThrownBy(() -> scheduler.schedule(() -> { }, 1, null))
        .isInstanceOf(NullPointerException.class).hasMessage("unit");
  }
}
