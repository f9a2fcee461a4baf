package io.lb4j.core;

import io.lb4j.core.internal.membership.EndpointLists;
import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The endpoints one selector chooses among, frozen for the selector's lifetime: each with its live
 * {@link EndpointStats} and its effective weight (its configured weight, possibly lowered by slow
 * start), plus the ticker and random source the algorithm must use.
 *
 * <p>Immutable and thread-safe (the stats it points to are live, thread-safe counters). Indexes are
 * stable: index {@code i} names the same endpoint, stats and weight everywhere. Built by
 * {@link LoadBalancer} on each membership or health change, or by hand with {@link #of(List)} to
 * use a {@link Selector} directly.
 */
public final class Candidates {
  private final List<Endpoint> endpoints;
  private final LiveEndpointStats[] stats;
  private final int[] weights;
  private final long totalWeight;
  private final boolean uniformWeights;
  private final Ticker ticker;
  private final RandomSource random;

  private Candidates(
      List<Endpoint> endpoints, LiveEndpointStats[] stats, int[] weights, Ticker ticker, RandomSource random) {
    this.endpoints = endpoints;
    this.stats = stats;
    this.weights = weights;
    this.ticker = ticker;
    this.random = random;
    long sum = 0;
    boolean uniform = true;
    for (int weight : weights) {
      sum += weight;
      uniform &= weight == weights[0];
    }
    this.totalWeight = sum;
    this.uniformWeights = uniform;
  }

  /**
   * Candidates with fresh stats, each endpoint's own weight, the system ticker and a thread-local
   * random source.
   *
   * @throws IllegalArgumentException if two endpoints share an id
   */
  public static Candidates of(List<Endpoint> endpoints) {
    return of(endpoints, Endpoint::weight, Ticker.system(), RandomSource.threadLocal());
  }

  /**
   * Candidates with fresh stats (reading {@code ticker}, with the {@linkplain
   * EndpointStats#DEFAULT_DECAY default decay}) and effective weights supplied per endpoint: to
   * drive a {@link Selector} by hand, for instance in its tests.
   *
   * @param weightFor the effective weight of each endpoint, in [1, {@link Endpoint#MAX_WEIGHT}]
   * @throws IllegalArgumentException if two endpoints share an id or a weight is out of range
   */
  public static Candidates of(
      List<Endpoint> endpoints, ToIntFunction<? super Endpoint> weightFor, Ticker ticker,
      RandomSource random) {
    Objects.requireNonNull(ticker, "ticker");
    return of(endpoints, e -> LiveEndpointStats.create(ticker, EndpointStats.DEFAULT_DECAY),
        weightFor, ticker, random);
  }

  /**
   * Candidates with stats and effective weights supplied per endpoint: the balancer's own, which
   * keeps each endpoint's stats across rebuilds.
   *
   * @param statsFor the live stats of each endpoint (called once per endpoint)
   * @param weightFor the effective weight of each endpoint, at least 1
   * @throws IllegalArgumentException if two endpoints share an id or a weight is below 1
   */
  static Candidates of(
      List<Endpoint> endpoints,
      Function<? super Endpoint, LiveEndpointStats> statsFor,
      ToIntFunction<? super Endpoint> weightFor,
      Ticker ticker,
      RandomSource random) {
    List<Endpoint> list = EndpointLists.validated(endpoints);
    Objects.requireNonNull(statsFor, "statsFor");
    Objects.requireNonNull(weightFor, "weightFor");
    LiveEndpointStats[] stats = new LiveEndpointStats[list.size()];
    int[] weights = new int[list.size()];
    for (int i = 0; i < list.size(); i++) {
      Endpoint endpoint = list.get(i);
      stats[i] = Objects.requireNonNull(statsFor.apply(endpoint), "stats for " + endpoint.id());
      weights[i] = weightFor.applyAsInt(endpoint);
      if (weights[i] < 1 || weights[i] > Endpoint.MAX_WEIGHT) {
        throw new IllegalArgumentException("effective weight must be in [1, " + Endpoint.MAX_WEIGHT
            + "], was " + weights[i] + " for endpoint " + endpoint.id());
      }
    }
    return new Candidates(list, stats, weights, Objects.requireNonNull(ticker, "ticker"),
        Objects.requireNonNull(random, "random"));
  }

  /** The number of endpoints. */
  public int size() {
    return weights.length;
  }

  /** Whether there is no endpoint. */
  public boolean isEmpty() {
    return weights.length == 0;
  }

  /**
   * The endpoint at {@code index}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
   */
  public Endpoint endpoint(int index) {
    return endpoints.get(index);
  }

  /**
   * The live load of the endpoint at {@code index}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
   */
  public EndpointStats stats(int index) {
    return stats[index];
  }

  /** {@link #stats(int)} with its mutators, for the balancer that feeds it. */
  LiveEndpointStats liveStats(int index) {
    return stats[index];
  }

  /** The effective weight of endpoint {@code index}: at least 1. */
  public int weight(int index) {
    return weights[index];
  }

  /** Sum of effective weights. */
  public long totalWeight() {
    return totalWeight;
  }

  /** Whether every effective weight is equal (weight-aware algorithms may take a faster path). */
  public boolean hasUniformWeights() {
    return uniformWeights;
  }

  /** The endpoints, in index order; unmodifiable. */
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /** The index of the endpoint with {@code id}, or -1. O(n): not for the pick path. */
  public int indexOf(String id) {
    for (int i = 0; i < endpoints.size(); i++) {
      if (endpoints.get(i).id().equals(id)) {
        return i;
      }
    }
    return -1;
  }

  /** The time source the algorithm must read (the balancer's; never {@code System.nanoTime()} directly). */
  public Ticker ticker() {
    return ticker;
  }

  /** The random source the algorithm must draw from (the balancer's, seedable in tests). */
  public RandomSource random() {
    return random;
  }

  @Override
  public String toString() {
    return "Candidates" + endpoints;
  }
}
