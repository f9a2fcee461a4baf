package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The contract every {@link Selector} honours, run once per algorithm by a subclass: never throws
 * on a non-empty list, never picks an excluded endpoint while another exists, fails with the right
 * reason when none is left, and gives the same shares and exclusions under concurrent picks as
 * alone.
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
    return TestCandidates.of(endpoints, e -> LiveEndpointStats.create(), Endpoint::weight,
        Ticker.system(), RandomSource.seeded(seed));
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

  /**
   * Excludes any subset but one survivor, the last endpoint included, so that a walk past excluded
   * endpoints must wrap around the end of the list to find the survivor.
   */
  @Test
  public void neverPicksAnExcludedEndpointWhileAnotherExists() {
    qt().withExamples(200)
        .forAll(weightLists(), integers().all(), integers().all(), integers().all())
        .assuming((weights, seed, mask, survivorDraw) -> weights.size() >= 2)
        .checkAssert((weights, seed, mask, survivorDraw) -> {
          List<Endpoint> endpoints = endpoints(weights);
          int survivor = Math.floorMod(survivorDraw, endpoints.size());
          Selector selector = algorithm().newSelector(candidates(endpoints, seed));
          for (int call = 0; call < 30; call++) {
            PickContext context = contextFor(call);
            int excluded = 0;
            for (int i = 0; i < endpoints.size(); i++) {
              boolean all = (call & 1) == 0; // every other call: all but the survivor
              if (i != survivor && (all || (mask >>> (i % 32) & 1) == 1)) {
                context.exclude(endpoints.get(i));
                excluded++;
              }
            }
            Endpoint picked = selector.select(context);
            assertThat(context.isExcluded(picked))
                .as("picked %s although %d of %d are excluded", picked, excluded, endpoints.size())
                .isFalse();
            if (excluded == endpoints.size() - 1) {
              assertThat(picked).isEqualTo(endpoints.get(survivor));
            }
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

  /**
   * Whether picks of one context may go to any endpoint a sequential run would give the same share.
   * False for algorithms whose answer depends on which picks came first (sticky pins).
   */
  protected boolean picksIndependentOfOrder() {
    return true;
  }

  private static final int THREADS = 8;
  private static final int CALLS_PER_THREAD = 20_000;

  /**
   * Call {@code call} of thread {@code thread}: the subclass's context, minus one endpoint chosen
   * by a hash of the call. Not by thread: a selector that walks a shared sequence (round robin)
   * would then see its shares depend on how the threads interleave, and the comparison with one
   * thread would measure the scheduler rather than the selector.
   */
  private PickContext concurrentContext(List<Endpoint> endpoints, int thread, int call) {
    long n = (long) thread * CALLS_PER_THREAD + call;
    int excluded = (int) Long.remainderUnsigned(Long.rotateLeft(n * 0x9E3779B97F4A7C15L, 29) * 0xBF58476D1CE4E5B9L,
        endpoints.size());
    return contextFor((int) n).exclude(endpoints.get(excluded));
  }

  /**
   * Eight threads pick through one selector, each pick excluding an endpoint: no pick is an
   * excluded endpoint, and each endpoint's share of all picks matches what the same contexts give
   * in one thread (within 5 sigma), so a race that loses counter updates or reads a torn state
   * skews the shares or breaks an exclusion.
   */
  @Test
  public void concurrentPicksHonourExclusionsAndMatchTheSequentialShares() throws Exception {
    List<Endpoint> endpoints = endpoints(List.of(1, 2, 3, 4, 5, 6, 7, 8));
    int[] sequential = new int[endpoints.size()];
    Selector alone = algorithm().newSelector(candidates(endpoints, 42));
    for (int thread = 0; thread < THREADS; thread++) {
      for (int call = 0; call < CALLS_PER_THREAD; call++) {
        sequential[alone.selectIndex(concurrentContext(endpoints, thread, call))]++;
      }
    }
    Selector selector = algorithm().newSelector(candidates(endpoints, 42));
    AtomicIntegerArray concurrent = new AtomicIntegerArray(endpoints.size());
    List<String> violations = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int call = 0; call < CALLS_PER_THREAD; call++) {
            PickContext context = concurrentContext(endpoints, thread, call);
            int index = selector.selectIndex(context);
            if (context.isExcluded(endpoints.get(index))) {
              violations.add("thread " + thread + " picked excluded " + endpoints.get(index));
            }
            concurrent.incrementAndGet(index);
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
    assertThat(violations).isEmpty();
    if (!picksIndependentOfOrder()) {
      return;
    }
    int total = THREADS * CALLS_PER_THREAD;
    for (int i = 0; i < endpoints.size(); i++) {
      double p = (double) sequential[i] / total;
      // Both counts vary around the same share: their difference has sigma·√2.
      double sigma = Math.sqrt(2 * total * p * (1 - p));
      assertThat((double) concurrent.get(i)).as("picks of %s", endpoints.get(i))
          .isCloseTo(sequential[i], within(5 * sigma + 1));
    }
  }
}
