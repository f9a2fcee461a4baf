package io.lb4j.okhttp;

import io.lb4j.core.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ticker that moves only when told to; the same as lb-core's test {@code ManualTicker}, which
 * this module's tests cannot see (lb-core publishes no test jar).
 */
final class ManualTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong();

  @Override
  public long read() {
    return nanos.get();
  }

  void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }
}
