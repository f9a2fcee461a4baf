package io.lb4j.core.internal.select;

import java.util.List;

/** The textbook nginx loop, run per pick over mutable credits: the reference the cycles must match. */
final class NginxSmoothWeightedReference {
  private final List<Integer> weights;
  private final long[] current;

  NginxSmoothWeightedReference(List<Integer> weights) {
    this.weights = weights;
    this.current = new long[weights.size()];
  }

  int next() {
    long total = 0;
    int best = -1;
    for (int i = 0; i < weights.size(); i++) {
      current[i] += weights.get(i);
      total += weights.get(i);
      if (best == -1 || current[i] > current[best]) {
        best = i;
      }
    }
    current[best] -= total;
    return best;
  }
}
