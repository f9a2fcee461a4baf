package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The contract every {@link Selector} honours, run once per algorithm by a subclass: never throws
 * on a non-empty list, never picks an excluded endpoint while another exists, fails with the right
 * reason when none is left, and stays correct under concurrent picks.
 */
public abstract class SelectorContract {

  /** The algorithm under test. */
  protected abstract Algorithm algorithm();

  /** Candidates whose picks need a hash key get one here; others ignore it. */
  protected PickContext contextFor(int call) {
    return PickContext.create().hashKey(mix(call)).sessionId("s" + (call % 97));
  }

  protected static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  protected static List<Endpoint> endpoints(List<Integer> weights) {
    List<Endpoint> endpoints = new ArrayList<>(weights.size());
    for (int i = 0; i < weights.size(); i++) {
      endpoints.add(Endpoint.builder("10.0.0." + (i / 250), 8000 + i).weight(weights.get(i)).build());
    }
    return endpoints;
  }

  protected Candidates candidates(List<Endpoint> endpoints, long seed) {
    return Candidates.of(endpoints, e -> EndpointStats.create(), Endpoint::weight,
        Ticker.systemTicker(), RandomSource.seeded(seed));
  }

  /** How often each candidate index was picked in {@code picks} picks with an empty context. */
  protected static int[] countPicks(Selector selector, int picks) {
    int[] counts = new int[selector.candidates().size()];
    for (int i = 0; i < picks; i++) {
      counts[selector.selectIndex(PickContext.create())]++;
    }
    return counts;
  }

  /**
   * Asserts that every count is within 5 sigma of an even share of {@code picks}: with a seeded
   * random source the run is reproducible, and a bias of a few percent fails it.
   */
  protected static void assertEvenWithinFiveSigma(int[] counts, int picks) {
    double p = 1.0 / counts.length;
    double sigma = Math.sqrt(picks * p * (1 - p));
    for (int i = 0; i < counts.length; i++) {
      assertThat((double) counts[i]).as("picks of candidate %d", i)
          .isCloseTo(picks * p, within(5 * sigma));
    }
  }

  protected static Gen<List<Integer>> weightLists() {
    return lists().of(integers().between(1, 20)).ofSizeBetween(1, 40);
  }

  @Test
  public void picksOverAnyNonEmptyListNeverThrowAndStayInRange() {
    qt().withExamples(200).forAll(weightLists(), integers().all()).checkAssert((weights, seed) -> {
      Selector selector = algorithm().newSelector(candidates(endpoints(weights), seed));
      for (int call = 0; call < 50; call++) {
        int index = selector.selectIndex(contextFor(call));
        assertThat(index).isBetween(0, weights.size() - 1);
      }
    });
  }

  @Test
  public void neverPicksAnExcludedEndpointWhileAnotherExists() {
    qt().withExamples(200)
        .forAll(weightLists(), integers().all(), integers().between(0, 1 << 20))
        .assuming((weights, seed, mask) -> weights.size() >= 2)
        .checkAssert((weights, seed, mask) -> {
          List<Endpoint> endpoints = endpoints(weights);
          Selector selector = algorithm().newSelector(candidates(endpoints, seed));
          for (int call = 0; call < 30; call++) {
            PickContext context = contextFor(call);
            int excluded = 0;
            for (int i = 0; i < endpoints.size() - 1; i++) {
              if ((mask >>> (i % 20) & 1) == 1) {
                context.exclude(endpoints.get(i));
                excluded++;
              }
            }
            Endpoint picked = selector.select(context);
            assertThat(context.isExcluded(picked))
                .as("picked %s although %d of %d are excluded", picked, excluded, endpoints.size())
                .isFalse();
          }
        });
  }

  @Test
  public void allExcludedFailsWithAllExcluded() {
    List<Endpoint> endpoints = endpoints(List.of(1, 2, 3));
    Selector selector = algorithm().newSelector(candidates(endpoints, 1));
    PickContext context = contextFor(7);
    endpoints.forEach(context::exclude);
    assertThatThrownBy(() -> selector.selectIndex(context))
        .isInstanceOf(NoEndpointAvailableException.class)
        .hasMessageContaining("all 3 candidates are excluded")
        .satisfies(e -> assertThat(((NoEndpointAvailableException) e).reason())
            .isEqualTo(NoEndpointAvailableException.Reason.ALL_EXCLUDED));
  }

  @Test
  public void emptyCandidatesFailWithEmptyList() {
    Selector selector = algorithm().newSelector(candidates(List.of(), 1));
    assertThatThrownBy(() -> selector.selectIndex(contextFor(1)))
        .isInstanceOf(NoEndpointAvailableException.class)
        .satisfies(e -> assertThat(((NoEndpointAvailableException) e).reason())
            .isEqualTo(NoEndpointAvailableException.Reason.EMPTY_LIST));
  }

  @Test
  public void concurrentPicksAreAllValid() throws Exception {
    List<Endpoint> endpoints = endpoints(List.of(1, 2, 3, 4, 5, 6, 7, 8));
    Selector selector = algorithm().newSelector(candidates(endpoints, 42));
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    Set<Endpoint> seen = ConcurrentHashMap.newKeySet();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int call = 0; call < 20_000; call++) {
            Endpoint picked = selector.select(contextFor(thread * 20_000 + call));
            seen.add(picked);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(seen).isNotEmpty().isSubsetOf(endpoints);
  }
}
