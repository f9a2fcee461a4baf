package io.lb4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lb4j.benchmarks.BenchAlgorithms.KeyUse;
import io.lb4j.benchmarks.QualityReport.Row;
import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class QualityReportTest {

  @Test
  void balanceIsMaxAndMinOverMeanCountingEmptyEndpoints() {
    // 8 keys over 4 endpoints: counts 4, 2, 2, 0; mean 2.
    int[] placed = {0, 0, 1, 0, 2, 1, 0, 2};
    assertThat(QualityReport.balance(placed, 4)).containsExactly(2.0, 0.0);
  }

  @Test
  void perfectlySpreadKeysHaveBalanceOne() {
    assertThat(QualityReport.balance(new int[] {2, 0, 1, 1, 2, 0}, 3)).containsExactly(1.0, 1.0);
  }

  @Test
  void movedFractionCountsKeysWhoseEndpointChanged() {
    assertThat(QualityReport.movedFraction(new int[] {0, 1, 2, 3}, new int[] {0, 2, 2, 0}))
        .isEqualTo(0.5);
    assertThatThrownBy(() -> QualityReport.movedFraction(new int[2], new int[3]))
        .hasMessage("placements must have the same length, were 2 and 3");
  }

  @Test
  void roundRobinIsPerfectlyBalancedAndHasNoAffinityColumns() {
    Row row = QualityReport.measure("round-robin", Algorithms.roundRobin(), KeyUse.NONE, 10, 1_000);
    assertThat(row.maxOverMean()).isEqualTo(1.0);
    assertThat(row.minOverMean()).isEqualTo(1.0);
    assertThat(row.movedOnRemove()).isNaN();
    assertThat(row.movedOnAdd()).isNaN();
  }

  @Test
  void consistentAlgorithmMovesOnlyTheKeysItMustComparedByEndpointIdentity() {
    // Rendezvous over endpoint ids moves exactly the removed endpoint's keys, and exactly the keys
    // the added endpoint wins. Comparing by candidate index instead of identity would count every
    // key after the removed middle endpoint as moved.
    int endpoints = 10;
    int keys = 20_000;
    Row row = QualityReport.measure("test-rendezvous", TEST_RENDEZVOUS, KeyUse.HASH_KEY, endpoints, keys);

    var fleet = BenchEndpoints.uniform(endpoints + 1);
    int[] before = QualityReport.place(TEST_RENDEZVOUS, KeyUse.HASH_KEY, fleet.subList(0, endpoints), fleet, keys);
    int[] withAdded = QualityReport.place(TEST_RENDEZVOUS, KeyUse.HASH_KEY, fleet, fleet, keys);
    long onRemoved = java.util.Arrays.stream(before).filter(e -> e == endpoints / 2).count();
    long onAdded = java.util.Arrays.stream(withAdded).filter(e -> e == endpoints).count();

    assertThat(row.movedOnRemove()).isEqualTo((double) onRemoved / keys);
    assertThat(row.movedOnAdd()).isEqualTo((double) onAdded / keys);
    assertThat(row.movedOnRemove()).isCloseTo(1.0 / endpoints, within(0.02));
  }

  @Test
  void modulusMovesMostKeysOnRemoval() {
    Row row = QualityReport.measure("test-modulo", TEST_MODULO, KeyUse.HASH_KEY, 10, 20_000);
    // hash mod 10 -> hash mod 9 keeps a key only when both residues agree: about 1 in 10.
    assertThat(row.movedOnRemove()).isGreaterThan(0.8);
  }

  @Test
  void printsOneMarkdownRowPerAlgorithm() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    QualityReport.print(List.of(new Row("a", 1.25, 0.5, Double.NaN, Double.NaN),
        new Row("b", 1.0, 1.0, 0.01, 0.0099)), 100, 1_000, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("| a | 1.250 | 0.500 | n/a | n/a |")
        .contains("| b | 1.000 | 1.000 | 0.0100 | 0.0099 |");
  }

  /** Highest random weight over endpoint ids: a textbook consistent algorithm, test-only. */
  private static final Algorithm TEST_RENDEZVOUS = new Algorithm() {
    @Override
    public Selector newSelector(Candidates candidates) {
      long[] idHashes = new long[candidates.size()];
      for (int i = 0; i < idHashes.length; i++) {
        idHashes[i] = BenchKeys.hash(candidates.endpoint(i).id());
      }
      return new Selector() {
        @Override
        public Candidates candidates() {
          return candidates;
        }

        @Override
        public int selectIndex(PickContext context) {
          int best = 0;
          long bestScore = Long.MIN_VALUE;
          for (int i = 0; i < idHashes.length; i++) {
            long score = BenchKeys.hash(Long.toString(context.hashKey() ^ idHashes[i]));
            if (score > bestScore) {
              bestScore = score;
              best = i;
            }
          }
          return best;
        }
      };
    }

    @Override
    public String name() {
      return "test-rendezvous";
    }
  };

  private static final Algorithm TEST_MODULO = new Algorithm() {
    @Override
    public Selector newSelector(Candidates candidates) {
      return new Selector() {
        @Override
        public Candidates candidates() {
          return candidates;
        }

        @Override
        public int selectIndex(PickContext context) {
          return (int) Long.remainderUnsigned(context.hashKey(), candidates.size());
        }
      };
    }

    @Override
    public String name() {
      return "test-modulo";
    }
  };
}
