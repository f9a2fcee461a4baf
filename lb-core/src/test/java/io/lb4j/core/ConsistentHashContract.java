package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Minimal disruption, for the consistent hash selectors: removing or adding one endpoint moves few
 * keys, and (where {@link #movesOnlyNecessaryKeys()}) only keys that must move.
 */
public abstract class ConsistentHashContract extends HashSelectorContract {
  private static final int KEYS = 5_000;

  /**
   * True if removing an endpoint moves only its keys and adding one moves keys only to it, and
   * excluding an endpoint maps keys exactly as removing it would (ring, rendezvous); false if more
   * keys may move (Maglev), bounded by {@link #maxMovedFraction}.
   */
  protected abstract boolean movesOnlyNecessaryKeys();

  /**
   * Upper bound on the fraction of keys that move when one endpoint joins a fleet that then counts
   * {@code n} equal endpoints (or leaves one of {@code n}): the ideal is {@code 1/n}.
   */
  protected abstract double maxMovedFraction(int n);

  @Test
  public void removingOneEndpointMovesOnlyItsKeysOrCloseToOneNth() {
    qt().withExamples(40)
        .forAll(integers().between(2, 20), integers().between(0, 1000), integers().between(0, 255))
        .checkAssert((n, which, salt) -> {
          List<Endpoint> before = fleet(equalWeights(n), salt);
          List<Endpoint> after = new ArrayList<>(before);
          Endpoint removed = after.remove(which % n);
          String[] old = idsOf(selectorOver(before), KEYS);
          String[] now = idsOf(selectorOver(after), KEYS);
          int moved = movedKeys(old, now, old, removed, "key %d moved off a staying endpoint");
          assertThat((double) moved / KEYS).as("moved fraction, n=%d", n)
              .isLessThanOrEqualTo(maxMovedFraction(n));
        });
  }

  @Test
  public void addingOneEndpointMovesAboutOneInNPlusOneKeys() {
    qt().withExamples(40)
        .forAll(integers().between(1, 20), integers().between(0, 255))
        .checkAssert((n, salt) -> {
          List<Endpoint> after = fleet(equalWeights(n + 1), salt);
          List<Endpoint> before = after.subList(0, n);
          Endpoint added = after.get(n);
          String[] old = idsOf(selectorOver(before), KEYS);
          String[] now = idsOf(selectorOver(after), KEYS);
          int moved = movedKeys(old, now, now, added, "key %d moved between staying endpoints");
          assertThat((double) moved / KEYS).as("moved fraction, n+1=%d", n + 1)
              .isLessThanOrEqualTo(maxMovedFraction(n + 1));
        });
  }

  @Test
  public void excludingAnEndpointMovesOnlyItsKeysAndWhereRemovalWouldIfMinimal() {
    qt().withExamples(30)
        .forAll(integers().between(2, 15), integers().between(0, 1000), integers().between(0, 255))
        .checkAssert((n, which, salt) -> {
          List<Endpoint> all = fleet(equalWeights(n), salt);
          List<Endpoint> rest = new ArrayList<>(all);
          Endpoint excluded = rest.remove(which % n);
          String[] plain = idsOf(selectorOver(all), 2_000);
          String[] withExclusion = idsOf(selectorOver(all), 2_000, excluded);
          for (int k = 0; k < plain.length; k++) {
            if (!plain[k].equals(excluded.id())) {
              assertThat(withExclusion[k]).as("key %d", k).isEqualTo(plain[k]);
            }
          }
          if (movesOnlyNecessaryKeys()) {
            assertThat(withExclusion).containsExactly(idsOf(selectorOver(rest), 2_000));
          }
        });
  }

  /**
   * The number of keys whose endpoint differs between {@code old} and {@code now}. With minimal
   * disruption, also asserts that each moved key's endpoint in {@code moverSide} (the old mapping
   * for a removal, the new one for an addition) is {@code mover}.
   */
  private int movedKeys(String[] old, String[] now, String[] moverSide, Endpoint mover,
      String description) {
    int moved = 0;
    for (int k = 0; k < old.length; k++) {
      if (!old[k].equals(now[k])) {
        moved++;
        if (movesOnlyNecessaryKeys()) {
          assertThat(moverSide[k]).as(description, k).isEqualTo(mover.id());
        }
      }
    }
    return moved;
  }
}
