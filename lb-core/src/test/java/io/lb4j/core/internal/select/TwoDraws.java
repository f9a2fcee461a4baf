package io.lb4j.core.internal.select;

import io.lb4j.core.RandomSource;

/**
 * The two distinct candidates a power-of-two-choices pick draws, replayed from a random source
 * seeded like the selector's: the tests' own statement of {@link TwoChoices}' draw (b from the
 * n − 1 others, shifted past a), so that they can check the pick against exactly these two.
 */
record TwoDraws(int a, int b) {

  /** The next two draws from {@code replay} over {@code n >= 2} candidates. */
  static TwoDraws next(RandomSource replay, int n) {
    int a = replay.nextInt(n);
    int b = replay.nextInt(n - 1);
    return new TwoDraws(a, b >= a ? b + 1 : b);
  }

  /** The draw that is not {@code picked}, which must be one of the two. */
  int other(int picked) {
    return picked == a ? b : a;
  }
}
