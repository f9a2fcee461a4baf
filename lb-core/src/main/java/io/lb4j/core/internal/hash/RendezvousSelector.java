package io.lb4j.core.internal.hash;

import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.internal.explain.Explainable;
import io.lb4j.core.internal.explain.Explanations;
import io.lb4j.core.internal.select.AbstractSelector;
import io.lb4j.core.internal.select.SelectorSupport;

/**
 * Rendezvous (highest random weight) hashing: choose it for key affinity with exact minimal
 * disruption and no tuning knob, in fleets small enough (tens to a few hundred endpoints) that an
 * O(n) pick is cheap.
 *
 * <p>Guarantees: every endpoint scores the key and the highest score wins. The score is
 * {@code −w_i / ln(u)} with {@code u ∈ (0, 1)} taken from {@code XXH64(LE64(key) ‖ LE64(XXH64(id)))}
 * (Schindelhauer and Schomaker's logarithmic method), so endpoint {@code i} wins a fraction
 * {@code w_i / W} of keys exactly in expectation, with no sampling noise from virtual nodes. With
 * equal weights the score is the hash itself (same order, no logarithm). Removing an endpoint moves
 * only its own keys; adding one moves only the keys it now wins, {@code w_new / W} of them. Equal
 * scores go to the smaller endpoint id, so the result never depends on list order. An excluded
 * endpoint is simply not scored (the next best wins). Without a hash key, a random key is drawn
 * ({@link Candidates#random()}).
 *
 * <p>Cost: pick O(n), one 16-byte XXH64 per endpoint (plus a logarithm when weights differ), no
 * allocation; build O(n log n); memory 16 bytes per endpoint.
 *
 * <p>Source: Thaler and Ravishankar, "Using Name-Based Mappings to Increase Hit Rates" (IEEE/ACM
 * ToN 1998); Schindelhauer and Schomaker, "Weighted Distributed Hash Tables" (SPAA 2005).
 */
public final class RendezvousSelector extends AbstractSelector implements Explainable {
  private final long[] idHashes;
  private final int[] rankById;
  private final boolean uniform;

  public RendezvousSelector(Candidates candidates) {
    super(candidates);
    this.idHashes = HashSupport.idHashes(candidates);
    this.rankById = HashSupport.ranksById(candidates);
    this.uniform = candidates.hasUniformWeights();
  }

  @Override
  public int selectIndex(PickContext context) {
    long key = HashSupport.pickKey(candidates, context);
    int best = -1;
    long bestHash = 0;
    double bestScore = 0;
    for (int i = 0; i < idHashes.length; i++) {
      if (SelectorSupport.isExcluded(context, candidates, i)) {
        continue;
      }
      long hash = Xxh64.hashLongs(key, idHashes[i]);
      if (uniform) {
        int order = best < 0 ? 1 : Long.compareUnsigned(hash, bestHash);
        if (order > 0 || (order == 0 && rankById[i] < rankById[best])) {
          best = i;
          bestHash = hash;
        }
      } else {
        // u in (0, 1): the top 53 bits, centred in their interval so that u is never 0 or 1.
        double u = ((hash >>> 11) + 0.5) * 0x1.0p-53;
        double score = -candidates.weight(i) / Math.log(u);
        if (best < 0 || score > bestScore || (score == bestScore && rankById[i] < rankById[best])) {
          best = i;
          bestScore = score;
        }
      }
    }
    if (best < 0) {
      throw SelectorSupport.noneAvailable(candidates, context);
    }
    return best;
  }

  @Override
  public Decision explain(PickContext context) {
    return Explanations.byKey(this, context, "rendezvous", "scores highest"
        + (uniform ? "" : " (weighted: -weight / ln(hash))") + " with xxh64(key, id) among "
        + candidates.size() + " endpoints");
  }

  @Override
  public String toString() {
    return "RendezvousSelector" + candidates.endpoints();
  }
}
