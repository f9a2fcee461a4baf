package com.example.consumer;

import io.lb4j.core.Algorithms;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import java.util.List;

/** README "The Selector API directly". */
public final class SelectorApi {
  private SelectorApi() {}

  /** Runs the snippet over {@code endpoints}. */
  public static Endpoint choose(List<Endpoint> endpoints) {
    // snippet: SelectorApi
    Selector selector = Algorithms.roundRobin().newSelector(Candidates.of(endpoints));
    Endpoint chosen = selector.select(PickContext.create());
    // end snippet
    return chosen;
  }
}
