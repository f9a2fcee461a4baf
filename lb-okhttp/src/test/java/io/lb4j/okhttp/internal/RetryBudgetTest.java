package io.lb4j.okhttp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  private static final long WINDOW = TimeUnit.SECONDS.toNanos(10);
  private final AtomicLong now = new AtomicLong();

  private RetryBudget budget(double ratio, int floorPerSecond) {
    return new RetryBudget(ratio, floorPerSecond, WINDOW, now::get);
  }

  @Test
  void retriesAreCappedAtRatioTimesCallsPlusFloor() {
    RetryBudget budget = budget(0.2, 1);
    for (int i = 0; i < 100; i++) {
      budget.deposit();
    }

    int granted = 0;
    while (budget.tryWithdraw()) {
      granted++;
    }

    assertThat(granted).isEqualTo(20 + 10);
  }

  @Test
  void withoutCallsOnlyTheFloorIsAvailable() {
    RetryBudget budget = budget(0.5, 2);

    int granted = 0;
    while (budget.tryWithdraw()) {
      granted++;
    }

    assertThat(granted).isEqualTo(20);
  }

  @Test
  void zeroBudgetGrantsNothing() {
    RetryBudget budget = budget(0, 0);
    budget.deposit();

    assertThat(budget.tryWithdraw()).isFalse();
  }

  @Test
  void spentRetriesAreForgottenOnceTheWindowHasSlidPast() {
    RetryBudget budget = budget(0, 1);
    while (budget.tryWithdraw()) {
      // spend the floor
    }
    now.addAndGet(WINDOW / 2);
    assertThat(budget.tryWithdraw()).as("half a window later the spent retries still count").isFalse();

    now.addAndGet(WINDOW / 2 + 1);
    assertThat(budget.tryWithdraw()).isTrue();
  }

  @Test
  void oldCallsStopEarningRetries() {
    RetryBudget budget = budget(1, 0);
    for (int i = 0; i < 50; i++) {
      budget.deposit();
    }
    now.addAndGet(WINDOW + 1);

    assertThat(budget.tryWithdraw()).isFalse();
  }

  @Test
  void retriesCountedInTheWindowNeverExceedRatioTimesCallsPlusFloorAndUseItAll() {
    // Model check: time advances 0.4 s a step; the window is the current 1 s bucket and the 9
    // before it. After a step that was granted retries, the retries in the window fit the budget
    // (later, calls may slide out before the retries they paid for); after every step, one more
    // retry would not fit.
    qt().withExamples(100).forAll(
            doubles().between(0, 1),
            integers().between(0, 5),
            lists().of(integers().between(0, 20)).ofSizeBetween(1, 60))
        .checkAssert((ratio, floor, callsPerStep) -> {
          AtomicLong clock = new AtomicLong();
          RetryBudget budget = new RetryBudget(ratio, floor, WINDOW, clock::get);
          long step = WINDOW / 25;
          long bucket = WINDOW / 10;
          int steps = callsPerStep.size();
          int[] retries = new int[steps];
          for (int s = 0; s < steps; s++) {
            clock.set(s * step);
            for (int c = 0; c < callsPerStep.get(s); c++) {
              budget.deposit();
            }
            while (budget.tryWithdraw()) {
              retries[s]++;
            }
            long epoch = s * step / bucket;
            long windowCalls = 0;
            long windowRetries = 0;
            for (int t = 0; t <= s; t++) {
              if (epoch - t * step / bucket < 10) {
                windowCalls += callsPerStep.get(t);
                windowRetries += retries[t];
              }
            }
            double allowed = ratio * windowCalls + floor * 10.0;
            if (retries[s] > 0) {
              assertThat((double) windowRetries).isLessThanOrEqualTo(allowed + 1e-9);
            }
            assertThat(windowRetries + 1.0).isGreaterThan(allowed - 1e-9);
          }
        });
  }
}
