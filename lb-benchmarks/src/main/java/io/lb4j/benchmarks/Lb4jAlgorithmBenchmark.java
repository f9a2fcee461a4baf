package io.lb4j.benchmarks;

import org.openjdk.jmh.annotations.Param;

/** A pick benchmark run for every lb4j algorithm: the one list of specs the suite measures. */
public abstract class Lb4jAlgorithmBenchmark extends FleetBenchmark {

  /** Specs resolved by {@link BenchAlgorithms#byName}; must list every {@link BenchAlgorithms#SPECS}. */
  @Param({"round-robin", "smooth-weighted-round-robin", "random", "weighted-random",
      "least-connections", "power-of-two-choices", "least-response-time", "response-time-weighted",
      "hash-modulo", "ring-hash:100", "ring-hash:160", "ring-hash:1000", "maglev:65537",
      "bounded-load-hash:1.25", "rendezvous", "sticky:round-robin"})
  public String algorithm;
}
