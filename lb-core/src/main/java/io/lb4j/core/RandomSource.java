package io.lb4j.core;

import io.lb4j.core.internal.select.SeededRandomSource;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The random numbers randomized algorithms draw on the pick path. Implementations are thread-safe,
 * lock-free and allocation-free. Inject {@link #seeded(long)} to make tests and simulations
 * reproducible; production uses {@link #threadLocal()}.
 */
public interface RandomSource {

  /** A uniformly distributed int in {@code [0, bound)}; {@code bound} is positive. */
  int nextInt(int bound);

  /** A uniformly distributed double in {@code [0, 1)}. */
  double nextDouble();

  /** {@link ThreadLocalRandom}: uncontended, not reproducible. */
  static RandomSource threadLocal() {
    return ThreadLocalRandomSource.INSTANCE;
  }

  /**
   * A reproducible sequence (SplitMix64 over one atomic counter): the same seed and the same order
   * of calls give the same numbers. Thread-safe, but concurrent callers share one counter.
   */
  static RandomSource seeded(long seed) {
    return new SeededRandomSource(seed);
  }

  /** The default source. */
  enum ThreadLocalRandomSource implements RandomSource {
    /** The one instance. */
    INSTANCE;

    @Override
    public int nextInt(int bound) {
      return ThreadLocalRandom.current().nextInt(bound);
    }

    @Override
    public double nextDouble() {
      return ThreadLocalRandom.current().nextDouble();
    }
  }
}
