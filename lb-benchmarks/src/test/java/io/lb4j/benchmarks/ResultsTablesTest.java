package io.lb4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.benchmarks.ResultsTables.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTablesTest {
  // Lines in the exact shape JMH 1.37 writes with -rf csv and -prof gc.
  private static final List<String> CSV = List.of(
      "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\",\"Param: algorithm\",\"Param: n\"",
      "\"io.lb4j.benchmarks.SelectorBenchmark.pick\",\"avgt\",1,10,9.834000,0.120000,\"ns/op\",round-robin,3",
      "\"io.lb4j.benchmarks.SelectorBenchmark.pick:gc.alloc.rate.norm\",\"avgt\",1,10,0.000114,0.000001,\"B/op\",round-robin,3",
      "\"io.lb4j.benchmarks.SelectorBenchmark.pick\",\"avgt\",1,10,13.04,NaN,\"ns/op\",round-robin,1000",
      "\"io.lb4j.benchmarks.SelectorBenchmark.pick2Threads\",\"avgt\",2,10,14.3,NaN,\"ns/op\",round-robin,3",
      "\"io.lb4j.benchmarks.FloorBenchmark.hashFloor\",\"avgt\",1,10,111.4,2.5,\"ns/op\",,3",
      "\"io.lb4j.benchmarks.DubboBenchmark.pick\",\"avgt\",1,10,9888.2,NaN,\"ns/op\",consistent-hash,3",
      "\"io.lb4j.benchmarks.OkHttpInterceptorBenchmark.balanced\",\"avgt\",1,10,95.25,NaN,\"us/op\",,",
      "");

  @Test
  void parsesPrimaryAndSecondaryScoresWithTheirParams() {
    List<Result> results = ResultsTables.parse(CSV);
    assertThat(results).hasSize(7);
    Result first = results.get(0);
    assertThat(first.benchmarkClass()).isEqualTo("SelectorBenchmark");
    assertThat(first.method()).isEqualTo("pick");
    assertThat(first.metric()).isNull();
    assertThat(first.score()).isEqualTo(9.834);
    assertThat(first.error()).isEqualTo(0.12);
    assertThat(first.params()).containsEntry("algorithm", "round-robin").containsEntry("n", "3");
    assertThat(results.get(1).metric()).isEqualTo("gc.alloc.rate.norm");
    assertThat(results.get(4).params()).doesNotContainKey("algorithm");
    assertThat(results.get(4).rowLabel()).isEqualTo("floor: hash");
    assertThat(results.get(5).rowLabel()).isEqualTo("Dubbo consistent-hash");
  }

  @Test
  void aLaterFilesResultReplacesAnEarlierOneForTheSameRowAndSize() {
    List<Result> results = new java.util.ArrayList<>(ResultsTables.parse(CSV));
    results.addAll(ResultsTables.parse(List.of(CSV.get(0),
        "\"io.lb4j.benchmarks.SelectorBenchmark.pick\",\"avgt\",1,10,7.5,NaN,\"ns/op\",round-robin,3")));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ResultsTables.print(results, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("| lb4j round-robin | 7.50 | 13.0 |");
  }

  @Test
  void lb4jRowsFollowTheSpecOrderWhateverFileTheyCameFrom() {
    List<Result> results = new java.util.ArrayList<>(ResultsTables.parse(List.of(CSV.get(0),
        "\"io.lb4j.benchmarks.SelectorBenchmark.pick\",\"avgt\",1,10,90,NaN,\"ns/op\",maglev:65537,3",
        "\"io.lb4j.benchmarks.SelectorBenchmark.pick\",\"avgt\",1,10,4,NaN,\"ns/op\",round-robin,3")));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ResultsTables.print(results, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("| lb4j round-robin | 4 |\n| lb4j maglev:65537 | 90 |\n");
  }

  @Test
  void pivotsOneRowPerImplementationAndOneColumnPerSizeSplittingThreadCounts() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ResultsTables.print(ResultsTables.parse(CSV), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String tables = bytes.toString(StandardCharsets.UTF_8);

    assertThat(tables).contains("#### Pick, 1 thread (ns/op)\n\n"
        + "| implementation | n = 3 | n = 1000 |\n"
        + "| --- | ---: | ---: |\n"
        + "| floor: hash | 111 ± 2.50 | - |\n"
        + "| lb4j round-robin | 9.83 ± 0.12 | 13.0 |\n"
        + "| Dubbo consistent-hash | 9,888 | - |\n");
    assertThat(tables).contains("#### Pick, 2 threads (ns/op)\n\n"
        + "| implementation | n = 3 |\n"
        + "| --- | ---: |\n"
        + "| lb4j round-robin | 14.3 |\n");
    assertThat(tables).contains("| lb4j round-robin | 0.00 ± 0.00 |");
    assertThat(tables).doesNotContain("LoadBalancer.pick");
    assertThat(tables).contains("| implementation | score |\n| --- | ---: |\n| OkHttp balanced | 95.3 |\n");
  }
}
