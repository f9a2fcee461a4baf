package io.lb4j.core.internal.hash;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import java.util.ArrayList;
import java.util.List;

/** Measures how evenly a hash algorithm spreads keys over equal endpoints. */
final class HashBalance {
  private HashBalance() {}

  /** Max over mean of keys per endpoint, for {@code n} equal endpoints and keys XXH64(0..keys). */
  static double maxOverMean(Algorithm algorithm, int n, int keys) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      endpoints.add(Endpoint.of("10.1." + (i / 250) + "." + (i % 250), 8080));
    }
    Selector selector = algorithm.newSelector(Candidates.of(endpoints));
    int[] counts = new int[n];
    PickContext context = PickContext.create();
    for (int k = 0; k < keys; k++) {
      counts[selector.selectIndex(context.hashKey(Xxh64.hashLong(k)))]++;
    }
    int max = 0;
    for (int count : counts) {
      max = Math.max(max, count);
    }
    return max / ((double) keys / n);
  }
}
