package io.lb4j.okhttp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SmallPartsTest {

  @Test
  void rateLimitedLogLetsOneMessageThroughPerInterval() {
    AtomicLong now = new AtomicLong(1_000);
    RateLimitedLog limiter = new RateLimitedLog(TimeUnit.SECONDS.toNanos(10), now::get);

    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse();
    now.addAndGet(TimeUnit.SECONDS.toNanos(10) - 1);
    assertThat(limiter.tryAcquire()).isFalse();
    now.addAndGet(1);
    assertThat(limiter.tryAcquire()).isTrue();
  }

  @Test
  void systemSleeperTurnsAnInterruptIntoInterruptedIOExceptionAndKeepsTheFlag() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> Sleeper.SYSTEM.sleep(TimeUnit.SECONDS.toNanos(5)))
          .isInstanceOf(InterruptedIOException.class)
          .hasMessage("interrupted during retry backoff");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void keyHashIsFixedSoEveryProcessMapsAKeyAlike() {
    // Values from an independent FNV-1a + fmix64 implementation; a change would move every key.
    assertThat(KeyHash.hash("user-42")).isEqualTo(KeyHash.hash(new String("user-42".toCharArray())));
    assertThat(Long.toHexString(KeyHash.hash(""))).isEqualTo(PINNED_EMPTY);
    assertThat(Long.toHexString(KeyHash.hash("user-42"))).isEqualTo(PINNED_USER_42);
    assertThat(KeyHash.hash("user-43")).isNotEqualTo(KeyHash.hash("user-42"));
  }

  private static final String PINNED_EMPTY = "efd01f60ba992926";
  private static final String PINNED_USER_42 = "a39532c7ab051e8d";
}
