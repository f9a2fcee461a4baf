package io.lb4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Endpoint;
import org.junit.jupiter.api.Test;

class OkHttpInterceptorBenchmarkTest {

  @Test
  void bothVariantsGetTheBodyAndTheBalancedOneSpreadsOverEveryServer() throws Exception {
    OkHttpInterceptorBenchmark benchmark = new OkHttpInterceptorBenchmark();
    benchmark.start();
    try {
      for (int i = 0; i < 6; i++) {
        assertThat(benchmark.direct()).isEqualTo(2);
        assertThat(benchmark.balanced()).isEqualTo(2);
        assertThat(benchmark.balancedSameServer()).isEqualTo(2);
      }
      for (Endpoint endpoint : benchmark.balancer.endpoints()) {
        assertThat(benchmark.balancer.stats(endpoint.id()).orElseThrow().successes())
            .as(endpoint.id()).isEqualTo(2);
      }
      String directServer = benchmark.balancer.endpoints().get(0).id();
      assertThat(benchmark.single.stats(directServer).orElseThrow().successes()).isEqualTo(6);
    } finally {
      benchmark.stop();
    }
  }
}
