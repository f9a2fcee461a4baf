package io.lb4j.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Algorithm;
import io.lb4j.core.Algorithms;
import io.lb4j.core.ConsistentHashContract;
import io.lb4j.core.Endpoint;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import java.util.List;
import org.junit.jupiter.api.Test;

class RendezvousSelectorTest extends ConsistentHashContract {

  @Override
  protected Algorithm algorithm() {
    return Algorithms.rendezvous();
  }

  @Override
  protected double shareTolerance() {
    return 0.05; // exact shares in expectation: only key sampling noise (under 2% here)
  }

  @Override
  protected boolean movesOnlyNecessaryKeys() {
    return true;
  }

  @Override
  protected double maxMovedFraction(int n) {
    return 1.25 / n; // the leaving or joining endpoint's share, 1/n, plus key sampling noise
  }

  @Test
  void keyGoesToTheEndpointWithTheHighestHashOfKeyAndId() {
    List<Endpoint> endpoints = fleet(equalWeights(6), 8);
    Selector selector = algorithm().newSelector(candidates(endpoints, 1));
    for (long k = 0; k < 500; k++) {
      long key = Xxh64.hashLong(k);
      Endpoint best = null;
      long bestHash = 0;
      for (Endpoint e : endpoints) {
        long hash = Xxh64.hashLongs(key, Xxh64.hashUtf8(e.id()));
        if (best == null || Long.compareUnsigned(hash, bestHash) > 0) {
          best = e;
          bestHash = hash;
        }
      }
      assertThat(selector.select(PickContext.create().hashKey(key))).isEqualTo(best);
    }
  }

  @Test
  void raisingOneWeightMovesKeysOnlyToThatEndpoint() {
    List<Endpoint> before = fleet(List.of(2, 2, 2, 2, 2), 3);
    List<Endpoint> after = new java.util.ArrayList<>(before);
    after.set(2, before.get(2).toBuilder().weight(6).build());
    String[] old = idsOf(selectorOver(before), 20_000);
    String[] now = idsOf(selectorOver(after), 20_000);
    int moved = 0;
    for (int k = 0; k < old.length; k++) {
      if (!old[k].equals(now[k])) {
        moved++;
        assertThat(now[k]).isEqualTo(before.get(2).id());
      }
    }
    // Its share grows from 2/10 to 6/14: about 0.229 of the keys move to it.
    assertThat(moved / 20_000.0).isBetween(0.20, 0.26);
  }
}
