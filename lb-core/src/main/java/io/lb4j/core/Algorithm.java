package io.lb4j.core;

/**
 * A load-balancing algorithm: builds a {@link Selector} for a set of {@link Candidates}. Obtain
 * one from {@link Algorithms}. Implementations are thread-safe; {@link #newSelector} runs off the
 * pick path, on every membership or health change, and may take time proportional to the
 * candidates' size (or table size) to precompute what picks need.
 *
 * <p>Most algorithms are immutable: everything they know lives in the selectors they build. A
 * <em>stateful</em> algorithm keeps state across selectors, such as {@link Algorithms#sticky
 * sticky sessions}' pins. One algorithm instance is nevertheless safe to hand to any number of
 * balancers: each {@link LoadBalancer} calls {@link #forBalancer()} once and uses the instance it
 * returns, so a stateful algorithm gives every balancer state of its own, and two balancers never
 * see each other's sessions.
 */
public interface Algorithm {

  /**
   * Builds a selector over {@code candidates}, which may be empty (the selector then throws
   * {@link NoEndpointAvailableException} on every pick).
   */
  Selector newSelector(Candidates candidates);

  /** A short, stable name for logs, metrics and reports, e.g. {@code "round-robin"}. */
  String name();

  /**
   * The algorithm one balancer uses, called once by {@link LoadBalancer.Builder#build()}: this
   * algorithm itself if it is immutable (the default), or a fresh instance with the same settings
   * and state of its own if it keeps state across selectors. Never null.
   */
  default Algorithm forBalancer() {
    return this;
  }

  /**
   * Whether this algorithm's selectors should see slow start's ramped weights, i.e. whether weight
   * means share of requests here. When true, the {@link LoadBalancer} passes
   * {@link HealthTracker#effectiveWeight} in {@link Candidates}, so an endpoint that joins or comes
   * back ramps up; when false, it passes each endpoint's configured {@link Endpoint#weight()}, so
   * slow start never changes what this algorithm builds. Hash algorithms must answer false: while
   * one endpoint ramps, every weight is rescaled, which would move the keys of endpoints that did
   * not change.
   *
   * <p>Default false, the safe answer for an algorithm lb4j does not know: no slow start, no
   * reshuffled keys. A custom algorithm that spreads requests in proportion to weight (weighted
   * random, weighted round robin, a load-per-weight rule) overrides it to return true.
   */
  default boolean rampsWeights() {
    return false;
  }
}
