package io.lb4j.core.internal.health;

import io.lb4j.core.Endpoint;

/**
 * The weight of an endpoint that just joined or recovered: from {@code floorPercent}% of its weight
 * to all of it over {@code windowNanos}, in {@value #STEPS} equal steps so that a balancer rebuilds
 * its selector {@value #STEPS} times per ramp rather than continuously.
 *
 * <p>Weights are integers and most endpoints weigh 1, so a fraction of a weight cannot be expressed
 * directly. While any endpoint ramps, every weight is therefore multiplied by a common
 * {@link #scaleFor scale} (up to {@value #MAX_SCALE}, less when weights are so large that the scaled
 * ones would pass {@link Endpoint#MAX_WEIGHT}): a ramping weight-1 endpoint then carries 1 of 10 at
 * the floor against 10 for its peers. Proportions among non-ramping endpoints are unchanged.
 *
 * @param windowNanos the ramp's length; 0 disables slow start
 * @param floorPercent the share of its weight an endpoint starts with, 1 to 100
 */
public record SlowStartRamp(long windowNanos, int floorPercent) {
  /** Number of steps of a ramp. */
  public static final int STEPS = 10;
  static final int MAX_SCALE = 10;

  public boolean enabled() {
    return windowNanos > 0;
  }

  /** The step reached {@code elapsedNanos} after the ramp began: 0 to {@link #STEPS} (done). */
  public int step(long elapsedNanos) {
    if (elapsedNanos >= windowNanos) {
      return STEPS;
    }
    return elapsedNanos <= 0 ? 0 : (int) (elapsedNanos * STEPS / windowNanos);
  }

  /** The effective weight at {@code step} of an endpoint of {@code weight}, scaled by {@code scale}. */
  public int weight(int weight, int scale, int step) {
    long full = (long) weight * scale;
    if (step >= STEPS) {
      return (int) full;
    }
    long percentTimesSteps = (long) floorPercent * STEPS + (long) (100 - floorPercent) * step;
    return (int) Math.max(1, Math.round(full * percentTimesSteps / (100.0 * STEPS)));
  }

  /** The common scale while some endpoint ramps, given the largest member weight. */
  public static int scaleFor(int maxWeight) {
    return Math.max(1, Math.min(MAX_SCALE, Endpoint.MAX_WEIGHT / Math.max(1, maxWeight)));
  }
}
