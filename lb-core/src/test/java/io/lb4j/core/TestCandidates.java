package io.lb4j.core;

import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/** Opens the balancer's own {@link Candidates} factory to tests that drive stats by hand. */
public final class TestCandidates {
  private TestCandidates() {}

  /** {@link Candidates} over {@code endpoints} with the given live stats and weights. */
  public static Candidates of(
      List<Endpoint> endpoints,
      Function<? super Endpoint, LiveEndpointStats> statsFor,
      ToIntFunction<? super Endpoint> weightFor,
      Ticker ticker,
      RandomSource random) {
    return Candidates.of(endpoints, statsFor, weightFor, ticker, random);
  }
}
