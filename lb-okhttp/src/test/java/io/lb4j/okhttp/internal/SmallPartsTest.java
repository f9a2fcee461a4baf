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
}
