package io.lb4j.examples;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Candidates;
import io.lb4j.core.NoEndpointAvailableException;
import io.lb4j.core.NoEndpointAvailableException.Reason;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;

/**
 * A load-aware algorithm for the examples' tests only, standing in for lb-core's least-response-time
 * until it is on this branch: the less loaded ({@code EndpointStats.load()}, peak EWMA × (in-flight
 * + 1)) of two distinct random candidates. Exclusions fall back to a scan.
 */
final class LeastLoadTwoChoices implements Algorithm {

  @Override
  public Selector newSelector(Candidates candidates) {
    return new Selector() {
      @Override
      public Candidates candidates() {
        return candidates;
      }

      @Override
      public int selectIndex(PickContext context) {
        int n = candidates.size();
        if (n == 0) {
          throw new NoEndpointAvailableException(Reason.EMPTY_LIST, "no candidates");
        }
        if (context.excludedCount() == 0 && n > 1) {
          int a = candidates.random().nextInt(n);
          int b = candidates.random().nextInt(n - 1);
          b = b >= a ? b + 1 : b;
          return candidates.stats(a).load() <= candidates.stats(b).load() ? a : b;
        }
        for (int i = 0; i < n; i++) {
          if (!context.isExcluded(candidates.endpoint(i))) {
            return i;
          }
        }
        throw new NoEndpointAvailableException(Reason.ALL_EXCLUDED, "all excluded");
      }
    };
  }

  @Override
  public String name() {
    return "test-least-load-p2c";
  }
}
