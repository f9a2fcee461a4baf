package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lb4j.core.internal.hash.Xxh64;
import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What every hash-based selector adds to the {@link SelectorContract}: the same key maps to the same
 * endpoint in independently built selectors whatever the list order (also with an exclusion),
 * shares follow weights, and a pick without a key is a weighted random one.
 */
public abstract class HashSelectorContract extends SelectorContract {

  /** Relative tolerance on each endpoint's share of keys in {@link #sharesOfKeysFollowWeights}. */
  protected abstract double shareTolerance();

  /** Endpoints with ids that depend on {@code salt}, and the given weights. */
  protected static List<Endpoint> fleet(List<Integer> weights, int salt) {
    List<Endpoint> endpoints = new ArrayList<>(weights.size());
    for (int i = 0; i < weights.size(); i++) {
      endpoints.add(Endpoint.builder("10." + (salt & 0xff) + "." + (i / 250) + "." + (i % 250), 8080)
          .weight(weights.get(i)).build());
    }
    return endpoints;
  }

  protected static List<Integer> equalWeights(int n) {
    return Collections.nCopies(n, 1);
  }

  /** The id each key maps to, keys being XXH64 of 0, 1, 2, ... */
  protected static String[] idsOf(Selector selector, int keys, Endpoint... excluded) {
    String[] ids = new String[keys];
    PickContext context = PickContext.create();
    for (int k = 0; k < keys; k++) {
      context.reset().hashKey(Xxh64.hashLong(k));
      for (Endpoint e : excluded) {
        context.exclude(e);
      }
      ids[k] = selector.select(context).id();
    }
    return ids;
  }

  protected Selector selectorOver(List<Endpoint> endpoints) {
    return algorithm().newSelector(candidates(endpoints, 1));
  }

  @Test
  public void independentlyBuiltSelectorsMapTenThousandKeysIdenticallyWhateverTheListOrder() {
    List<Endpoint> endpoints = fleet(List.of(1, 3, 2, 5, 1, 1, 4, 2, 1, 3, 2, 1), 7);
    List<Endpoint> shuffled = new ArrayList<>();
    for (Endpoint e : endpoints) {
      shuffled.add(e.toBuilder().build()); // equal values, fresh objects
    }
    Collections.shuffle(shuffled, new Random(42));
    assertThat(shuffled).isNotEqualTo(endpoints);
    Selector first = algorithm().newSelector(candidates(endpoints, 1));
    Selector second = algorithm().newSelector(candidates(shuffled, 2));
    assertThat(idsOf(second, 10_000)).containsExactly(idsOf(first, 10_000));
    Endpoint excluded = endpoints.get(3);
    assertThat(idsOf(second, 10_000, excluded)).containsExactly(idsOf(first, 10_000, excluded))
        .doesNotContain(excluded.id());
  }

  @Test
  public void sharesOfKeysFollowWeights() {
    List<Integer> weights = List.of(1, 2, 3, 4, 2, 1, 3, 4);
    List<Endpoint> endpoints = fleet(weights, 3);
    String[] ids = idsOf(selectorOver(endpoints), 200_000);
    Map<String, Integer> counts = new HashMap<>();
    for (String id : ids) {
      counts.merge(id, 1, Integer::sum);
    }
    for (int i = 0; i < endpoints.size(); i++) {
      double expected = 200_000.0 * weights.get(i) / 20;
      assertThat((double) counts.getOrDefault(endpoints.get(i).id(), 0))
          .as("keys of %s", endpoints.get(i))
          .isCloseTo(expected, within(expected * shareTolerance()));
    }
  }

  @Test
  public void withoutAKeyPicksAreWeightedRandom() {
    List<Endpoint> endpoints = fleet(List.of(1, 3), 5);
    Selector selector = algorithm().newSelector(TestCandidates.of(endpoints, e -> LiveEndpointStats.create(),
        Endpoint::weight, Ticker.system(), RandomSource.seeded(11)));
    int heavy = 0;
    for (int i = 0; i < 40_000; i++) {
      if (selector.select(PickContext.create()).equals(endpoints.get(1))) {
        heavy++;
      }
    }
    assertThat(heavy / 40_000.0).isCloseTo(0.75, within(0.75 * shareTolerance()));
  }
}
