package io.lb4j.core.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The argument checks lb-core's builders and factories share, so that every message has one
 * wording: the field, the bound, then the value ({@code "latencyDecay must be > 0, was PT0S"}).
 */
public final class Arguments {
  private Arguments() {}

  /**
   * {@code value}, if positive.
   *
   * @throws NullPointerException naming {@code name} if {@code value} is null
   * @throws IllegalArgumentException if {@code value} is zero or negative
   */
  public static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, was " + value);
    }
    return value;
  }

  /**
   * {@code value}, if zero or positive.
   *
   * @throws NullPointerException naming {@code name} if {@code value} is null
   * @throws IllegalArgumentException if {@code value} is negative
   */
  public static Duration nonNegative(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    }
    return value;
  }

  /**
   * {@code value}, if at least {@code min}.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static int atLeast(int value, int min, String name) {
    return (int) atLeast((long) value, min, name);
  }

  /**
   * {@code value}, if at least {@code min}.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static long atLeast(long value, long min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
    }
    return value;
  }

  /**
   * {@code value}, if a percentage in [0, 100].
   *
   * @throws IllegalArgumentException otherwise
   */
  public static int percent(int value, String name) {
    return percent(value, 0, 100, name);
  }

  /**
   * {@code value}, if a percentage in [{@code min}, {@code max}]: the one check of every
   * {@code ...Percent} setter, so each message reads {@code "name must be in [min, max], was v"}.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static int percent(int value, int min, int max, String name) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be in [" + min + ", " + max + "], was " + value);
    }
    return value;
  }
}
