package io.lb4j.benchmarks;

import io.lb4j.core.Endpoint;
import java.util.ArrayList;
import java.util.List;

/** The endpoint fleets every benchmark and report uses, so lb4j and the peers see the same one. */
public final class BenchEndpoints {
  private BenchEndpoints() {}

  /**
   * {@code n} endpoints {@code 10.0.x.y:8080} with weights cycling 1, 2, 3 (uniform weights would
   * let weighted algorithms, lb4j's and the peers', take a shortcut that hides their real cost).
   */
  public static List<Endpoint> fleet(int n) {
    List<Endpoint> endpoints = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      endpoints.add(Endpoint.builder(host(i), 8080).weight(weight(i)).build());
    }
    return List.copyOf(endpoints);
  }

  /** {@code n} endpoints {@code 10.0.x.y:8080} of weight 1, for balance and disruption reports. */
  public static List<Endpoint> uniform(int n) {
    List<Endpoint> endpoints = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      endpoints.add(Endpoint.of(host(i), 8080));
    }
    return List.copyOf(endpoints);
  }

  /** The host of the {@code i}-th endpoint, an IPv4 literal in 10/8; distinct for every i below 16 million. */
  public static String host(int i) {
    return "10." + (i / 64_000) + "." + (i / 250 % 256) + "." + (i % 250 + 1);
  }

  /** The weight of the {@code i}-th endpoint of {@link #fleet}. */
  public static int weight(int i) {
    return 1 + i % 3;
  }
}
