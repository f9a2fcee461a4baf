package io.lb4j.benchmarks;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import java.util.List;

/**
 * The one place benchmarks and reports turn an algorithm spec into an lb4j {@link Algorithm}.
 *
 * <p>A spec is a name, optionally followed by {@code :argument}: {@code round-robin},
 * {@code ring-hash:160} (vnodes per weight unit), {@code maglev:65537} (table size),
 * {@code bounded-load-hash:1.25} (balance factor), {@code sticky:round-robin} (delegate spec).
 *
 * <p>Adding an algorithm: one case in {@link #byName}, its spec(s) in {@link #SPECS}, and the same
 * spec(s) in the {@code @Param} lists of {@link SelectorBenchmark} and
 * {@link LoadBalancerBenchmark} (and {@link BuildBenchmark} if its build does real work).
 * {@code BenchAlgorithmsTest} fails if those lists disagree.
 */
public final class BenchAlgorithms {
  private BenchAlgorithms() {}

  /** Every spec the suite covers, in report order. */
  public static final List<String> SPECS = List.of(
      "round-robin",
      "smooth-weighted-round-robin",
      "random",
      "weighted-random",
      "least-connections",
      "power-of-two-choices",
      "least-response-time",
      "response-time-weighted",
      "hash-modulo",
      "ring-hash:100",
      "ring-hash:160",
      "ring-hash:1000",
      "maglev:65537",
      "bounded-load-hash:1.25",
      "rendezvous",
      "sticky:round-robin");

  /** What a pick with this algorithm needs from its {@link io.lb4j.core.PickContext}. */
  public enum KeyUse {
    /** Nothing: the algorithm ignores keys. */
    NONE,
    /** A hash key per pick (affinity algorithms). */
    HASH_KEY,
    /** A session id per pick (sticky sessions). */
    SESSION_ID
  }

  /**
   * The algorithm {@code spec} names. Sticky sessions name their delegate as the argument:
   * {@code sticky:round-robin}.
   *
   * @throws IllegalArgumentException if the name is unknown or its argument is missing or malformed
   */
  public static Algorithm byName(String spec) {
    String name = nameOf(spec);
    String arg = argumentOf(spec);
    switch (name) {
      case "round-robin":
        return withoutArgument(spec, arg, Algorithms.roundRobin());
      case "smooth-weighted-round-robin":
        return withoutArgument(spec, arg, Algorithms.smoothWeightedRoundRobin());
      case "random":
        return withoutArgument(spec, arg, Algorithms.random());
      case "weighted-random":
        return withoutArgument(spec, arg, Algorithms.weightedRandom());
      case "least-connections":
        return withoutArgument(spec, arg, Algorithms.leastConnections());
      case "power-of-two-choices":
        return withoutArgument(spec, arg, Algorithms.powerOfTwoChoices());
      case "least-response-time":
        return withoutArgument(spec, arg, Algorithms.leastResponseTime());
      case "response-time-weighted":
        return withoutArgument(spec, arg, Algorithms.responseTimeWeighted());
      case "hash-modulo":
        return withoutArgument(spec, arg, Algorithms.hashModulo());
      case "ring-hash":
        return Algorithms.ringHash(intArgument(spec, arg));
      case "maglev":
        return Algorithms.maglev(intArgument(spec, arg));
      case "bounded-load-hash":
        return Algorithms.boundedLoadHash(doubleArgument(spec, arg));
      case "rendezvous":
        return withoutArgument(spec, arg, Algorithms.rendezvous());
      case "sticky":
        return Algorithms.sticky(byName(requireArgument(spec, arg)));
      default:
        throw new IllegalArgumentException("unknown algorithm spec '" + spec + "', known: " + SPECS);
    }
  }

  /** What a pick with the algorithm {@code spec} names must carry. */
  public static KeyUse keyUse(String spec) {
    switch (nameOf(spec)) {
      case "hash-modulo":
      case "ring-hash":
      case "maglev":
      case "bounded-load-hash":
      case "rendezvous":
        return KeyUse.HASH_KEY;
      case "sticky":
        return KeyUse.SESSION_ID;
      default:
        return KeyUse.NONE;
    }
  }

  static String nameOf(String spec) {
    int colon = spec.indexOf(':');
    return colon < 0 ? spec : spec.substring(0, colon);
  }

  private static String argumentOf(String spec) {
    int colon = spec.indexOf(':');
    return colon < 0 ? null : spec.substring(colon + 1);
  }

  private static Algorithm withoutArgument(String spec, String arg, Algorithm algorithm) {
    if (arg != null) {
      throw new IllegalArgumentException("algorithm spec '" + spec + "' takes no argument");
    }
    return algorithm;
  }

  static int intArgument(String spec, String arg) {
    try {
      return Integer.parseInt(requireArgument(spec, arg));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("algorithm spec '" + spec + "' needs an int argument", e);
    }
  }

  static double doubleArgument(String spec, String arg) {
    try {
      return Double.parseDouble(requireArgument(spec, arg));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("algorithm spec '" + spec + "' needs a number argument", e);
    }
  }

  private static String requireArgument(String spec, String arg) {
    if (arg == null || arg.isEmpty()) {
      throw new IllegalArgumentException("algorithm spec '" + spec + "' needs an argument after ':'");
    }
    return arg;
  }
}
