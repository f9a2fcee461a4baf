package io.lb4j.benchmarks;

import java.util.List;
import org.openjdk.jmh.annotations.Param;

/** Reads a benchmark's {@code @Param} values, as JMH will. */
final class Params {
  private Params() {}

  static List<String> of(Class<?> benchmark, String field) {
    try {
      return List.of(benchmark.getField(field).getAnnotation(Param.class).value());
    } catch (NoSuchFieldException e) {
      throw new AssertionError(benchmark.getSimpleName() + " has no @Param field " + field, e);
    }
  }

  static int[] sizes(Class<?> benchmark) {
    return of(benchmark, "n").stream().mapToInt(Integer::parseInt).toArray();
  }
}
