package io.lb4j.core.internal.select;

import io.lb4j.core.RandomSource;

/**
 * Vose's alias method: after an O(n) build, draws index {@code i} with probability
 * {@code weights[i] / sum(weights)} in O(1) from one random double and two array reads.
 *
 * <p>Immutable and thread-safe; {@link #draw} allocates nothing. Each of the {@code n} buckets holds
 * its own index with probability {@code probability[b]} and an alias otherwise, so a draw picks a
 * bucket with the integer part of {@code u × n} and decides between the bucket and its alias with
 * the fractional part.
 *
 * <p>Source: M. D. Vose, "A linear algorithm for generating random numbers with a given
 * distribution", IEEE Trans. Software Eng. 17(9), 1991; the numerically stable formulation in
 * K. Schwarz, "Darts, Dice, and Coins" (2011).
 */
public final class AliasTable {
  private final double[] probability;
  private final int[] alias;

  /**
   * Builds the table for {@code weights}: at least one, each finite and {@code >= 0}, with a
   * positive sum.
   *
   * @throws IllegalArgumentException naming the first bad weight
   */
  public AliasTable(double[] weights) {
    int n = weights.length;
    if (n == 0) {
      throw new IllegalArgumentException("weights must not be empty");
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
        throw new IllegalArgumentException(
            "weights[" + i + "] must be finite and >= 0, was " + weights[i]);
      }
      sum += weights[i];
    }
    if (!(sum > 0) || Double.isInfinite(sum)) {
      throw new IllegalArgumentException("sum of weights must be finite and > 0, was " + sum);
    }
    probability = new double[n];
    alias = new int[n];
    double[] scaled = new double[n];
    int[] small = new int[n];
    int[] large = new int[n];
    int smallCount = 0;
    int largeCount = 0;
    for (int i = 0; i < n; i++) {
      scaled[i] = weights[i] * n / sum;
      if (scaled[i] < 1.0) {
        small[smallCount++] = i;
      } else {
        large[largeCount++] = i;
      }
    }
    while (smallCount > 0 && largeCount > 0) {
      int less = small[--smallCount];
      int more = large[--largeCount];
      probability[less] = scaled[less];
      alias[less] = more;
      // Schwarz: subtracting the deficit from the large entry keeps rounding errors from piling up.
      scaled[more] = (scaled[more] + scaled[less]) - 1.0;
      if (scaled[more] < 1.0) {
        small[smallCount++] = more;
      } else {
        large[largeCount++] = more;
      }
    }
    // What is left is 1 up to rounding: those buckets keep their own index for sure.
    while (largeCount > 0) {
      int i = large[--largeCount];
      probability[i] = 1.0;
      alias[i] = i;
    }
    while (smallCount > 0) {
      int i = small[--smallCount];
      probability[i] = 1.0;
      alias[i] = i;
    }
  }

  /** Number of outcomes. */
  public int size() {
    return probability.length;
  }

  /** Draws an index with probability proportional to its weight. O(1), allocation-free. */
  public int draw(RandomSource random) {
    int n = probability.length;
    double u = random.nextDouble() * n;
    int bucket = Math.min((int) u, n - 1);
    return u - bucket < probability[bucket] ? bucket : alias[bucket];
  }

  /**
   * The exact probability the table gives {@code index}, summed over its own bucket and every bucket
   * aliasing to it. O(n): for tests and reports, not for picks.
   */
  public double probabilityOf(int index) {
    int n = probability.length;
    double p = probability[index];
    for (int b = 0; b < n; b++) {
      if (alias[b] == index && b != index) {
        p += 1.0 - probability[b];
      }
    }
    return p / n;
  }
}
