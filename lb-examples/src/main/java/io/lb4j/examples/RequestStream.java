package io.lb4j.examples;

import java.util.SplittableRandom;

/**
 * The requests of one lab run, drawn once from a seed so that every algorithm faces exactly the
 * same traffic: Poisson arrivals at {@code ratePerSecond}, each request's user (uniform over
 * {@value #USERS} users, whose key and session id hash and sticky algorithms use), its size (a
 * standard-normal draw that scales the service time of whichever backend serves it) and its
 * failure draw. Immutable.
 */
final class RequestStream {
  static final int USERS = 10_000;

  private final long[] arrivalNanos;
  private final int[] users;
  private final double[] sizes;
  private final double[] failureDraws;

  RequestStream(int requests, double ratePerSecond, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    arrivalNanos = new long[requests];
    users = new int[requests];
    sizes = new double[requests];
    failureDraws = new double[requests];
    double meanGapNanos = 1e9 / ratePerSecond;
    double t = 0;
    for (int i = 0; i < requests; i++) {
      // Exponential gaps between arrivals make a Poisson process.
      t += -Math.log(1 - random.nextDouble()) * meanGapNanos;
      arrivalNanos[i] = (long) t;
      users[i] = random.nextInt(USERS);
      sizes[i] = standardNormal(random);
      failureDraws[i] = random.nextDouble();
    }
  }

  private static double standardNormal(SplittableRandom random) {
    // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
    double u1 = 1 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  int size() {
    return arrivalNanos.length;
  }

  long arrivalNanos(int request) {
    return arrivalNanos[request];
  }

  /** The user number of {@code request}, in {@code [0, USERS)}. */
  int user(int request) {
    return users[request];
  }

  double sizeDraw(int request) {
    return sizes[request];
  }

  double failureDraw(int request) {
    return failureDraws[request];
  }
}
