package io.lb4j.examples;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one list of algorithms the examples show, compare and accept by name in configuration. Adding
 * an algorithm to lb4j makes it appear in the algorithm lab, the Selector API example and the
 * inventory client's {@code algorithm=} setting by adding one line here.
 */
public final class LabAlgorithms {
  private LabAlgorithms() {}

  /** Every algorithm, in the order reports list them: {@link #spreading()}, then {@link #keyed()}. */
  public static List<Algorithm> all() {
    List<Algorithm> all = new ArrayList<>(spreading());
    all.addAll(keyed());
    return List.copyOf(all);
  }

  /**
   * The algorithms that spread calls without a key: by turn, weight, chance or load, plus sticky
   * sessions (which pin a session id where its first call went). Each call returns new instances,
   * so state such as sticky pins is never shared between runs.
   */
  public static List<Algorithm> spreading() {
    return List.of(
        Algorithms.roundRobin(),
        Algorithms.smoothWeightedRoundRobin(),
        Algorithms.random(),
        Algorithms.weightedRandom(),
        Algorithms.leastConnections(),
        Algorithms.powerOfTwoChoices(),
        Algorithms.leastResponseTime(),
        Algorithms.responseTimeWeighted(),
        Algorithms.sticky(Algorithms.leastResponseTime()));
  }

  /**
   * The hash-based algorithms: those that send the same {@code PickContext} hash key to the same
   * endpoint while membership stays the same.
   */
  public static List<Algorithm> keyed() {
    return List.of(
        Algorithms.hashModulo(),
        Algorithms.ringHash(),
        Algorithms.maglev(),
        Algorithms.boundedLoadHash(),
        Algorithms.rendezvous());
  }

  /**
   * The algorithm whose {@link Algorithm#name()} is {@code name}.
   *
   * @throws IllegalArgumentException if none is, naming the known ones
   */
  public static Algorithm byName(String name) {
    Objects.requireNonNull(name, "name");
    for (Algorithm algorithm : all()) {
      if (algorithm.name().equals(name)) {
        return algorithm;
      }
    }
    throw new IllegalArgumentException("algorithm must be one of " + names() + ", was '" + name + "'");
  }

  /** The names of {@link #all()}, in order. */
  public static List<String> names() {
    return all().stream().map(Algorithm::name).toList();
  }
}
