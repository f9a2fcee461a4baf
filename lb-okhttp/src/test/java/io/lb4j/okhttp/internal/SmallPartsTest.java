package io.lb4j.okhttp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
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
      assertThatThrownBy(() -> Sleeper.SYSTEM.sleep(TimeUnit.SECONDS.toNanos(5), neverSent()))
          .isInstanceOf(InterruptedIOException.class)
          .hasMessage("interrupted during retry backoff");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void systemSleeperReturnsAtOnceForACanceledCall() throws InterruptedIOException {
    Call call = neverSent();
    call.cancel();

    long start = System.nanoTime();
    Sleeper.SYSTEM.sleep(TimeUnit.MINUTES.toNanos(10), call);

    // Would hang the test (and hit surefire's timeout) if it slept the ten minutes.
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MINUTES.toNanos(1));
  }

  private static Call neverSent() {
    return new OkHttpClient().newCall(new Request.Builder().url("http://localhost/").build());
  }
}
