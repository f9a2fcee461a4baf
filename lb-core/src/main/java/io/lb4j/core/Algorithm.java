package io.lb4j.core;

/**
 * A load-balancing algorithm: builds a {@link Selector} for a set of {@link Candidates}. Obtain
 * one from {@link Algorithms}. Implementations are immutable and thread-safe; {@link #newSelector}
 * runs off the pick path, on every membership or health change, and may take time proportional to
 * the candidates' size (or table size) to precompute what picks need.
 */
public interface Algorithm {

  /**
   * Builds a selector over {@code candidates}, which may be empty (the selector then throws
   * {@link NoEndpointAvailableException} on every pick).
   */
  Selector newSelector(Candidates candidates);

  /** A short, stable name for logs, metrics and reports, e.g. {@code "round-robin"}. */
  String name();
}
