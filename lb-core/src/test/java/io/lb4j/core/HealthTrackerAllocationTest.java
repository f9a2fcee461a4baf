package io.lb4j.core;

import static io.lb4j.core.HealthFixtures.endpoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** recordOutcome runs on every call: it must not allocate while no verdict changes. */
class HealthTrackerAllocationTest {

  @Test
  void recordingOutcomesThatChangeNothingAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    List<Endpoint> members = endpoints(8);
    try (HealthTracker tracker = HealthTracker.create()) {
      tracker.updateMembership(members);
      record(tracker, members, 200_000); // warm up: class loading, JIT
      long thread = Thread.currentThread().getId();
      long before = threads.getThreadAllocatedBytes(thread);
      record(tracker, members, 1_000_000);
      long allocated = threads.getThreadAllocatedBytes(thread) - before;

      assertThat(allocated).as("bytes allocated by 1,000,000 recordOutcome calls").isLessThan(1_024);
      assertThat(tracker.eligible(members)).isSameAs(members);
    }
  }

  private static void record(HealthTracker tracker, List<Endpoint> members, int calls) {
    for (int i = 0; i < calls; i++) {
      // One failure in four, never two in a row, 25% rate: below every default threshold.
      tracker.recordOutcome(members.get(i & 7), (i & 31) >= 8 || (i & 31) % 4 != 0, 1_000);
    }
  }
}
