package io.lb4j.core.internal.concurrent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A shared int counter kept alone on its cache lines. Round-robin selectors increment one counter
 * from every picking thread while those threads also read the selector's immutable arrays; a plain
 * {@code AtomicInteger}, allocated next to those arrays, would share a cache line with them and
 * every increment would evict the other cores' copy of read-only data (false sharing). 128 bytes of
 * padding on each side cover adjacent-line prefetching.
 *
 * <p>The padding is spread over a class hierarchy because the JVM lays out a superclass's fields
 * before its subclass's, whatever it does to the order of fields within one class (the approach of
 * Caffeine and JCTools). Thread-safe and lock-free.
 */
public final class PaddedCounter extends PaddedCounterFields.Value {
  @SuppressWarnings("unused")
  private long q0, q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q13, q14, q15;

  private static final VarHandle VALUE;

  static {
    try {
      VALUE = MethodHandles.lookup().findVarHandle(PaddedCounterFields.Value.class, "value", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  public PaddedCounter(int initial) {
    VALUE.setRelease(this, (long) initial);
  }

  /** Adds one and returns the previous value's low 32 bits, so it wraps like an int. */
  public int getAndIncrement() {
    return (int) (long) VALUE.getAndAdd(this, 1L);
  }

  /** The value {@link #getAndIncrement} would return next, without incrementing. */
  public int peek() {
    return (int) (long) VALUE.getVolatile(this);
  }

  @Override
  public String toString() {
    return Integer.toString((int) (long) VALUE.getVolatile(this));
  }
}

/** The superclasses of {@link PaddedCounter}: padding, then the value. */
final class PaddedCounterFields {
  private PaddedCounterFields() {}

  abstract static class LeftPadding {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15;
  }

  abstract static class Value extends LeftPadding {
    // A long, not an int: an int could be placed in the 4-byte gap after the object header, in
    // front of the left padding.
    volatile long value;
  }
}
