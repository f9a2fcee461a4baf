package io.lb4j.core.internal.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Candidates;
import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.ManualTicker;
import io.lb4j.core.MutableServerList;
import io.lb4j.core.PickContext;
import io.lb4j.core.RandomSource;
import io.lb4j.core.Selector;
import io.lb4j.core.SelectorContract;
import io.lb4j.core.TestCandidates;
import io.lb4j.core.Ticker;
import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StickySessionAlgorithmTest extends SelectorContract {

  @Override
  protected Algorithm algorithm() {
    return Algorithms.sticky(Algorithms.roundRobin());
  }

  /** Which endpoint a session is pinned to depends on which of its picks came first. */
  @Override
  protected boolean picksIndependentOfOrder() {
    return false;
  }

  private static Candidates candidatesOf(List<Endpoint> endpoints, Ticker ticker) {
    return TestCandidates.of(endpoints, e -> LiveEndpointStats.create(), Endpoint::weight, ticker,
        RandomSource.seeded(3));
  }

  private static PickContext session(String id) {
    return PickContext.create().sessionId(id);
  }

  @Test
  void sameSessionGetsTheSameEndpointAcrossPicksAndSelectorRebuilds() {
    Algorithm sticky = algorithm();
    List<Endpoint> endpoints = endpoints(List.of(1, 1, 1, 1));
    Selector selector = sticky.newSelector(candidates(endpoints, 1));
    Endpoint pinned = selector.select(session("alice"));
    for (int i = 0; i < 20; i++) {
      assertThat(selector.select(session("alice"))).isEqualTo(pinned);
    }
    List<Endpoint> grown = new ArrayList<>(endpoints(List.of(1, 1, 1, 1, 1, 1)));
    java.util.Collections.reverse(grown);
    Selector rebuilt = sticky.newSelector(candidates(grown, 2));
    for (int i = 0; i < 20; i++) {
      assertThat(rebuilt.select(session("alice"))).isEqualTo(pinned);
    }
  }

  @Test
  void sessionIsRepinnedWhenItsEndpointLeavesAndStaysOnTheNewOne() {
    Algorithm sticky = algorithm();
    List<Endpoint> endpoints = endpoints(List.of(1, 1, 1));
    Endpoint pinned = sticky.newSelector(candidates(endpoints, 1)).select(session("bob"));
    List<Endpoint> without = new ArrayList<>(endpoints);
    without.remove(pinned);
    Endpoint repinned = sticky.newSelector(candidates(without, 1)).select(session("bob"));
    assertThat(repinned).isNotEqualTo(pinned).isIn(without);
    Selector back = sticky.newSelector(candidates(endpoints, 1));
    for (int i = 0; i < 10; i++) {
      assertThat(back.select(session("bob"))).isEqualTo(repinned);
    }
  }

  @Test
  void anExcludedPinSendsOneAttemptElsewhereAndKeepsTheSession() {
    Selector selector = algorithm().newSelector(candidates(endpoints(List.of(1, 1, 1)), 1));
    Endpoint pinned = selector.select(session("carol"));
    Endpoint retried = selector.select(session("carol").exclude(pinned));
    assertThat(retried).isNotEqualTo(pinned);
    for (int i = 0; i < 5; i++) {
      assertThat(selector.select(session("carol"))).isEqualTo(pinned);
    }
  }

  @Test
  void sessionIsRepinnedOnlyWhenItsEndpointStopsBeingACandidate() {
    Algorithm sticky = algorithm();
    List<Endpoint> endpoints = endpoints(List.of(1, 1, 1));
    Selector all = sticky.newSelector(candidates(endpoints, 1));
    Endpoint pinned = all.select(session("dave"));
    all.select(session("dave").exclude(pinned));
    List<Endpoint> withoutPinned = new ArrayList<>(endpoints);
    withoutPinned.remove(pinned);
    Endpoint repinned = sticky.newSelector(candidates(withoutPinned, 1)).select(session("dave"));
    assertThat(sticky.newSelector(candidates(endpoints, 1)).select(session("dave")))
        .isEqualTo(repinned);
  }

  @Test
  void oneStickyAlgorithmSharedByTwoBalancersKeepsTheirSessionsApart() {
    Algorithm shared = Algorithms.sticky(Algorithms.roundRobin());
    List<Endpoint> first = new ArrayList<>();
    List<Endpoint> second = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      first.add(Endpoint.of("10.1.0." + i, 8080));
      second.add(Endpoint.of("10.2.0." + i, 8080));
    }
    try (LoadBalancer orders = LoadBalancer.builder(MutableServerList.of(first)).name("orders")
            .algorithm(shared).build();
        LoadBalancer billing = LoadBalancer.builder(MutableServerList.of(second)).name("billing")
            .algorithm(shared).build()) {
      Map<String, Endpoint> pins = new HashMap<>();
      for (int s = 0; s < 20; s++) {
        pins.put("s" + s, pickOnce(orders, "s" + s));
        pickOnce(billing, "s" + s);
      }
      for (int s = 0; s < 20; s++) {
        assertThat(pickOnce(orders, "s" + s)).as("session s%d on orders", s).isEqualTo(pins.get("s" + s));
      }
    }
  }

  private static Endpoint pickOnce(LoadBalancer lb, String sessionId) {
    try (io.lb4j.core.Pick pick = lb.pick(session(sessionId))) {
      pick.complete(true);
      return pick.endpoint();
    }
  }

  @Test
  void pinExpiresAfterAccessOnTheCandidatesTicker() {
    ManualTicker ticker = new ManualTicker();
    Algorithm sticky = Algorithms.sticky(Algorithms.roundRobin(), 1_000, Duration.ofMinutes(30));
    Selector selector = sticky.newSelector(candidatesOf(endpoints(List.of(1, 1, 1)), ticker));
    Endpoint pinned = selector.select(session("dave"));
    for (int i = 0; i < 5; i++) {
      ticker.advance(Duration.ofMinutes(29)); // each access restarts the 30 minutes
      assertThat(selector.select(session("dave"))).isEqualTo(pinned);
    }
    ticker.advance(Duration.ofMinutes(31));
    // Expired: round robin makes the next pick, on the endpoint after the pinned one.
    assertThat(selector.select(session("dave"))).isNotEqualTo(pinned);
  }

  @Test
  void differentSessionsSpreadAsTheDelegateSpreadsThem() {
    List<Endpoint> endpoints = endpoints(List.of(1, 1, 1, 1));
    Selector selector = algorithm().newSelector(candidates(endpoints, 1));
    Map<Endpoint, Integer> counts = new HashMap<>();
    for (int s = 0; s < 1_000; s++) {
      counts.merge(selector.select(session("user-" + s)), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys(endpoints).allSatisfy((e, c) -> assertThat(c).isEqualTo(250));
  }

  @Test
  void picksWithoutASessionGoToTheDelegate() {
    Selector selector = algorithm().newSelector(candidates(endpoints(List.of(1, 1, 1)), 1));
    int first = selector.selectIndex(PickContext.create());
    for (int i = 1; i < 9; i++) {
      assertThat(selector.selectIndex(PickContext.create())).isEqualTo((first + i) % 3);
    }
  }

  @Test
  void concurrentFirstPicksOfOneSessionAgreeOnOneEndpoint() throws Exception {
    int threads = 4;
    // A delegate that lets its picks through only in groups of four, each group getting four
    // different endpoints: every thread of a round misses the cache and races to pin.
    CyclicBarrier together = new CyclicBarrier(threads);
    AtomicInteger next = new AtomicInteger();
    Algorithm racing = Algorithms.sticky(new Algorithm() {
      @Override
      public Selector newSelector(Candidates candidates) {
        return new Selector() {
          @Override
          public Candidates candidates() {
            return candidates;
          }

          @Override
          public int selectIndex(PickContext context) {
            try {
              together.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new AssertionError(e);
            }
            return next.getAndIncrement() % candidates.size();
          }
        };
      }

      @Override
      public String name() {
        return "racing";
      }
    });
    Selector selector = racing.newSelector(candidates(endpoints(List.of(1, 1, 1, 1)), 1));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 50; round++) {
        String id = "race-" + round;
        List<Future<Endpoint>> picks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          picks.add(pool.submit(() -> selector.select(session(id))));
        }
        Set<Endpoint> chosen = new HashSet<>();
        for (Future<Endpoint> pick : picks) {
          chosen.add(pick.get(10, TimeUnit.SECONDS));
        }
        assertThat(chosen).as("session %s", id).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void pinsSurviveLoadBalancerRebuildsOnMembershipChange() {
    MutableServerList servers = MutableServerList.of(endpoints(List.of(1, 1, 1)));
    LoadBalancer lb = LoadBalancer.builder(servers)
        .algorithm(Algorithms.sticky(Algorithms.roundRobin())).build();
    Endpoint pinned = lb.pick(session("erin")).endpoint();
    Selector before = lb.selector();
    servers.add(Endpoint.of("10.9.9.9", 9000));
    assertThat(lb.selector()).isNotSameAs(before);
    for (int i = 0; i < 10; i++) {
      assertThat(lb.pick(session("erin")).endpoint()).isEqualTo(pinned);
    }
    lb.close();
  }

  @Test
  void badOptionsFailNamingTheValue() {
    Algorithm rr = Algorithms.roundRobin();
    assertThatThrownBy(() -> Algorithms.sticky(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("delegate");
    assertThatThrownBy(() -> Algorithms.sticky(rr, 0, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maximumSize must be > 0, was 0");
    assertThatThrownBy(() -> Algorithms.sticky(rr, -7, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maximumSize must be > 0, was -7");
    assertThatThrownBy(() -> Algorithms.sticky(rr, 10, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expireAfterAccess must be > 0, was PT0S");
    assertThatThrownBy(() -> Algorithms.sticky(rr, 10, Duration.ofSeconds(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expireAfterAccess must be > 0, was PT-5S");
    assertThatThrownBy(() -> Algorithms.sticky(rr, 10, null))
        .isInstanceOf(NullPointerException.class).hasMessage("expireAfterAccess");
    assertThat(Algorithms.sticky(Algorithms.ringHash()).name()).isEqualTo("sticky(ring-hash)");
  }
}
