package io.lb4j.examples;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The algorithm lab's settings, parsed from plain {@code --name value} arguments. Immutable;
 * {@link #parse} validates every value and fails with an {@link IllegalArgumentException} naming the
 * option, the value and the bound.
 *
 * @param backends size of the simulated fleet, at least 3 (one slow, one failing, one normal)
 * @param requests requests per algorithm, at least 100
 * @param slowFactor how many times slower the slow backend is, in [1, 1000]
 * @param ratePerSecond mean arrival rate of the Poisson request stream, above 0
 * @param seed seed of the request stream and of the balancers' random sources
 * @param out directory the charts are written to (created if missing)
 */
record LabOptions(int backends, int requests, double slowFactor, double ratePerSecond, long seed, Path out) {

  static final String USAGE = String.join(System.lineSeparator(),
      "usage: AlgorithmLab [--backends N] [--requests N] [--slow-factor X] [--rate R] [--seed S] [--out DIR]",
      "  --backends N     simulated backends, >= 3 (default 10)",
      "  --requests N     requests per algorithm, >= 100 (default 20000)",
      "  --slow-factor X  backend b0 is X times slower, in [1, 1000] (default 10)",
      "  --rate R         arrivals per simulated second, > 0 (default 500)",
      "  --seed S         seed of the request stream and the balancers (default 42)",
      "  --out DIR        where the PNG charts go (default target/algorithm-lab)");

  LabOptions {
    if (backends < 3) {
      throw new IllegalArgumentException("--backends must be >= 3, was " + backends);
    }
    if (requests < 100) {
      throw new IllegalArgumentException("--requests must be >= 100, was " + requests);
    }
    if (!(slowFactor >= 1 && slowFactor <= 1000)) {
      throw new IllegalArgumentException("--slow-factor must be in [1, 1000], was " + slowFactor);
    }
    if (!(ratePerSecond > 0 && Double.isFinite(ratePerSecond))) {
      throw new IllegalArgumentException("--rate must be > 0, was " + ratePerSecond);
    }
    Objects.requireNonNull(out, "out");
  }

  static LabOptions defaults() {
    return parse();
  }

  /**
   * Parses {@code --name value} pairs; options not given keep their defaults.
   *
   * @throws IllegalArgumentException on an unknown option, a missing or malformed value, a repeated
   *     option, or a value out of bounds
   */
  static LabOptions parse(String... args) {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (!name.equals("--backends") && !name.equals("--requests") && !name.equals("--slow-factor")
          && !name.equals("--rate") && !name.equals("--seed") && !name.equals("--out")) {
        throw new IllegalArgumentException("unknown option '" + name + "'");
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      if (given.put(name, args[i + 1]) != null) {
        throw new IllegalArgumentException(name + " given twice");
      }
    }
    return new LabOptions(
        intOption(given, "--backends", 10),
        intOption(given, "--requests", 20_000),
        doubleOption(given, "--slow-factor", 10),
        doubleOption(given, "--rate", 500),
        longOption(given, "--seed", 42),
        Path.of(given.getOrDefault("--out", "target/algorithm-lab")));
  }

  private static int intOption(Map<String, String> given, String name, int fallback) {
    String value = given.get(name);
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, was '" + value + "'");
    }
  }

  private static long longOption(Map<String, String> given, String name, long fallback) {
    String value = given.get(name);
    try {
      return value == null ? fallback : Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, was '" + value + "'");
    }
  }

  private static double doubleOption(Map<String, String> given, String name, double fallback) {
    String value = given.get(name);
    try {
      return value == null ? fallback : Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, was '" + value + "'");
    }
  }
}
