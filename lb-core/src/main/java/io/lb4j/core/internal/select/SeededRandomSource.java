package io.lb4j.core.internal.select;

import io.lb4j.core.RandomSource;
import java.util.concurrent.atomic.AtomicLong;

/** SplitMix64 (Steele, Lea, Flood 2014) over one atomic state: reproducible and lock-free. */
public final class SeededRandomSource implements RandomSource {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private final AtomicLong state;

  public SeededRandomSource(long seed) {
    this.state = new AtomicLong(seed);
  }

  private long nextLong() {
    long z = state.addAndGet(GOLDEN_GAMMA);
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  @Override
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be > 0, was " + bound);
    }
    // Lemire's multiply-shift: unbiased enough for 32-bit bounds drawn from 64 random bits.
    return (int) (((nextLong() >>> 32) * bound) >>> 32);
  }

  @Override
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }
}
