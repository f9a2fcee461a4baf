package io.lb4j.okhttp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands the outcomes of a hedged call's attempts from their callbacks to the call's thread. Each
 * attempt ends exactly once: delivered (its callback claimed it and queues its outcome) or
 * abandoned (the call's thread claimed it first and owns its cleanup).
 *
 * <p>Claiming and queueing are two steps, so an attempt whose abandon fails may not be in the
 * queue yet: {@link #takeClaimed} waits for those, since their arrival is imminent. Thread-safe
 * for one consumer (the call's thread) and any number of delivering threads.
 *
 * @param <T> the outcome
 */
final class AttemptOutcomes<T> {
  private static final int RUNNING = 0;
  private static final int DELIVERED = 1;
  private static final int ABANDONED = 2;

  private final BlockingQueue<T> queue = new LinkedBlockingQueue<>();
  private final Runnable betweenClaimAndQueue;

  /** @param betweenClaimAndQueue runs in a delivery after its claim: a seam for tests */
  AttemptOutcomes(Runnable betweenClaimAndQueue) {
    this.betweenClaimAndQueue = betweenClaimAndQueue;
  }

  AttemptOutcomes() {
    this(() -> {});
  }

  /** One attempt's end, claimed once by {@link #deliver} or {@link #abandon}. */
  static final class Slot {
    private final AtomicInteger state = new AtomicInteger(RUNNING);
  }

  /** Queues {@code outcome}; false if the attempt was abandoned first (the caller cleans up). */
  boolean deliver(Slot slot, T outcome) {
    if (!slot.state.compareAndSet(RUNNING, DELIVERED)) {
      return false;
    }
    betweenClaimAndQueue.run();
    queue.add(outcome);
    return true;
  }

  /** Claims the attempt for the call's thread; false if its outcome was delivered first. */
  boolean abandon(Slot slot) {
    return slot.state.compareAndSet(RUNNING, ABANDONED);
  }

  /** The next outcome within {@code nanos}, or null. */
  T poll(long nanos) throws InterruptedException {
    return queue.poll(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The outcomes of {@code claimed} delivered attempts not taken yet, waiting for each at most
   * {@code boundNanos} (fewer when one never comes, which only a bug would cause). Uninterruptible:
   * an interrupt is kept for the caller.
   */
  List<T> takeClaimed(int claimed, long boundNanos) {
    List<T> taken = new ArrayList<>(claimed);
    boolean interrupted = false;
    while (taken.size() < claimed) {
      try {
        T next = queue.poll(boundNanos, TimeUnit.NANOSECONDS);
        if (next == null) {
          break;
        }
        taken.add(next);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return taken;
  }
}
