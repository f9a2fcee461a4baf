package io.lb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Candidates;
import io.lb4j.core.KeyHash;
import io.lb4j.core.NoEndpointAvailableException;
import io.lb4j.core.NoEndpointAvailableException.Reason;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlgorithmLabTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir Path dir;

  private static LabOptions small(String... extra) {
    List<String> args = new ArrayList<>(List.of("--requests", "2000", "--seed", "7"));
    args.addAll(List.of(extra));
    return LabOptions.parse(args.toArray(String[]::new));
  }


  private record Run(int status, String out, String err) {}

  private static Run run(List<Algorithm> algorithms, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = AlgorithmLab.run(args, algorithms,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void printsOneRowPerAlgorithmAndWritesTwoValidPngCharts() throws IOException {
    List<Algorithm> algorithms = LabAlgorithms.all();
    Run run = run(algorithms, "--requests", "2000", "--seed", "7", "--out", dir.toString());

    assertThat(run.status()).isZero();
    assertThat(run.err()).isEmpty();
    for (Algorithm algorithm : algorithms) {
      assertThat(run.out().lines().filter(line -> line.startsWith(algorithm.name() + " ")))
          .as("table row of %s", algorithm.name())
          .hasSize(1)
          .allSatisfy(row -> assertThat(row.chars().filter(c -> c == '%')).hasSize(1 + 10)); // errors, shares
    }
    for (String file : List.of(LabCharts.P99_FILE, LabCharts.LOAD_SHARE_FILE)) {
      Path png = dir.resolve(file);
      assertThat(run.out()).contains("wrote " + png);
      byte[] bytes = Files.readAllBytes(png);
      assertThat(bytes.length).as(file + " size").isGreaterThan(5_000);
      assertThat(Arrays.copyOf(bytes, 8)).isEqualTo(PNG_MAGIC);
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image.getWidth()).isEqualTo(900);
      assertThat(image.getHeight()).isEqualTo(160 + 40 * algorithms.size());
    }
  }

  @Test
  void leastResponseTimeSendsTheSlowBackendLessThanRoundRobinAndCutsTheTail() {
    List<LabResult> results = simulate(List.of(Algorithms.roundRobin(), Algorithms.leastResponseTime()));
    LabResult roundRobin = results.get(0);
    LabResult loadAware = results.get(1);

    assertThat(roundRobin.share(0)).isCloseTo(0.1, within(0.001));
    assertThat(loadAware.share(0)).isLessThan(roundRobin.share(0) / 2);
    assertThat(loadAware.latencyMillis(99)).isLessThan(roundRobin.latencyMillis(99));
  }

  @Test
  void roundRobinServesEveryBackendEquallyAndFailsOnlyOnTheFailingOne() {
    LabResult roundRobin = simulate(List.of(Algorithms.roundRobin())).get(0);

    assertThat(roundRobin.requests()).isEqualTo(2000);
    long total = 0;
    for (int b = 0; b < roundRobin.backends(); b++) {
      assertThat(roundRobin.served(b)).isEqualTo(200);
      total += roundRobin.served(b);
    }
    assertThat(total).isEqualTo(2000);
    // Only b1 fails, 5% of its 200 requests: around 10 of 2000; 0 or all would be a bug.
    assertThat(roundRobin.errorRate()).isBetween(0.002, 0.01);
  }

  @Test
  void theSlowBackendMakesRoundRobinsTailSlowerThanItsMedian() {
    LabResult roundRobin = simulate(List.of(Algorithms.roundRobin())).get(0);

    assertThat(roundRobin.latencyMillis(50)).isBetween(3.0, 8.0);
    assertThat(roundRobin.latencyMillis(99)).isGreaterThan(10 * AlgorithmLab.MEDIAN_MILLIS);
  }

  @Test
  void sameSeedPrintsTheSameTableAndAnotherSeedDoesNot() {
    List<Algorithm> algorithms = List.of(Algorithms.roundRobin(), Algorithms.leastResponseTime());
    String first = table(algorithms, "3");
    String again = table(algorithms, "3");
    String other = table(algorithms, "4");

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  private static String table(List<Algorithm> algorithms, String seed) {
    LabOptions options = LabOptions.parse("--requests", "1000", "--seed", seed);
    List<SimulatedBackend> fleet = AlgorithmLab.fleet(options);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AlgorithmLab.printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8),
        AlgorithmLab.simulate(options, fleet, algorithms), List.of("b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9"));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyPickCarriesItsRequestsUserKey() {
    LabResult modulo = simulate(List.of(KeyedTestAlgorithms.modulo())).get(0);

    RequestStream stream = new RequestStream(2000, 500, 7);
    long[] expected = new long[10];
    for (int request = 0; request < stream.size(); request++) {
      expected[(int) Long.remainderUnsigned(KeyHash.of("user-" + stream.user(request)), 10)]++;
    }
    for (int b = 0; b < 10; b++) {
      assertThat(modulo.served(b)).as("served by b%d", b).isEqualTo(expected[b]);
    }
  }

  @Test
  void picksThatFindNoEndpointCountAsRejectedErrors() {
    Algorithm refusing = new Algorithm() {
      @Override
      public Selector newSelector(Candidates candidates) {
        return new Selector() {
          @Override
          public Candidates candidates() {
            return candidates;
          }

          @Override
          public int selectIndex(PickContext context) {
            throw new NoEndpointAvailableException(Reason.ALL_UNHEALTHY, "all ejected");
          }
        };
      }

      @Override
      public String name() {
        return "refusing";
      }
    };

    LabResult result = simulate(List.of(refusing)).get(0);

    assertThat(result.requests()).isEqualTo(2000);
    assertThat(result.rejected()).isEqualTo(2000);
    assertThat(result.errorRate()).isEqualTo(1.0);
    assertThat(result.share(0)).isZero();
  }

  @Test
  void theHeaderWarnsWhenAnEvenShareOverloadsTheSlowBackend() {
    LabOptions calmOptions = LabOptions.parse("--requests", "100");
    LabOptions busyOptions = LabOptions.parse("--requests", "100", "--rate", "800");
    String calm = AlgorithmLab.describe(calmOptions, AlgorithmLab.fleet(calmOptions));
    String busy = AlgorithmLab.describe(busyOptions, AlgorithmLab.fleet(busyOptions));

    assertThat(calm).contains("500/s (8% of fleet capacity), seed 42").doesNotContain("overloads");
    assertThat(busy).contains("800/s (12% of fleet capacity; an even 1/10 share overloads b0), seed 42");
  }

  @Test
  void badArgumentsPrintTheReasonAndUsageAndExitWithTwo() {
    Run run = run(LabAlgorithms.all(), "--backends", "2", "--out", dir.toString());

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("AlgorithmLab: --backends must be >= 3, was 2").contains("usage: AlgorithmLab");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void helpPrintsUsageAndExitsWithZero() {
    Run run = run(LabAlgorithms.all(), "--help");

    assertThat(run.status()).isZero();
    assertThat(run.out()).contains("--slow-factor X");
  }

  @Test
  void optionsRejectBadValuesNamingOptionValueAndBound() {
    assertThatThrownBy(() -> LabOptions.parse("--requests", "99"))
        .hasMessage("--requests must be >= 100, was 99");
    assertThatThrownBy(() -> LabOptions.parse("--slow-factor", "0.5"))
        .hasMessage("--slow-factor must be in [1, 1000], was 0.5");
    assertThatThrownBy(() -> LabOptions.parse("--rate", "0"))
        .hasMessage("--rate must be > 0, was 0.0");
    assertThatThrownBy(() -> LabOptions.parse("--rate", "NaN"))
        .hasMessage("--rate must be > 0, was NaN");
    assertThatThrownBy(() -> LabOptions.parse("--backends", "ten"))
        .hasMessage("--backends must be an integer, was 'ten'");
    assertThatThrownBy(() -> LabOptions.parse("--seed"))
        .hasMessage("--seed needs a value");
    assertThatThrownBy(() -> LabOptions.parse("--bakends", "3"))
        .hasMessage("unknown option '--bakends'");
    assertThatThrownBy(() -> LabOptions.parse("--seed", "1", "--seed", "2"))
        .hasMessage("--seed given twice");
  }

  @Test
  void optionsKeepDefaultsForWhatIsNotGiven() {
    LabOptions options = LabOptions.parse("--backends", "5", "--out", "x");

    assertThat(options).isEqualTo(
        new LabOptions(5, 20_000, 10, 500, 42, Path.of("x")));
  }

  @Test
  void aBackendQueuesRequestsBeyondItsWorkers() {
    SimulatedBackend backend = new SimulatedBackend("b", 10, 0, 2, 0);

    assertThat(backend.admit(0, 0, false)).isEqualTo(10_000_000);
    assertThat(backend.admit(0, 0, false)).isEqualTo(10_000_000);
    assertThat(backend.admit(0, 0, false)).as("third waits for a worker").isEqualTo(20_000_000);
    assertThat(backend.admit(0, 0, true)).as("a failure answers in a tenth, on the first free worker")
        .isEqualTo(11_000_000);
  }

  private static List<LabResult> simulate(List<Algorithm> algorithms) {
    LabOptions options = small();
    return AlgorithmLab.simulate(options, AlgorithmLab.fleet(options), algorithms);
  }
}
