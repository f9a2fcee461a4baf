package io.lb4j.core.internal.membership;

import io.lb4j.core.Endpoint;
import io.lb4j.core.internal.Arguments;
import io.lb4j.core.internal.hash.Xxh64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Finagle's deterministic aperture, as a pure function: which instances one client of a fleet of
 * clients talks to.
 *
 * <p>Instances sit on a unit ring in the order of the XXH64 hash of their ids (so every client
 * builds the same ring, and instances whose names are adjacent, often a rack, are scattered);
 * instance {@code j} of {@code M} owns the arc {@code [j/M, (j+1)/M)}. Client {@code i} of
 * {@code N} owns the window {@code [i/N, i/N + w)} with {@code w = max(k/M, 1/N)} for subset size
 * {@code k}: the windows start evenly spaced and all have the same width, so every point of the
 * ring lies in ⌊N·w⌋ or ⌈N·w⌉ windows. The client's subset is every instance whose arc overlaps its
 * window: {@code k} instances when the window starts on an arc boundary, {@code k + 1} otherwise.
 * Consequences, checked by property tests: the number of clients per instance differs by at most
 * one between any two instances; one instance leaving shifts each window's content by at most one
 * instance at each end; one client leaving moves each other window by less than {@code M/N}
 * instance widths. All arithmetic is exact, in {@code long}.
 *
 * <p>Widening: the subset keeps as many available instances as its window holds. Each unavailable
 * instance of the window is replaced by the next available one along the ring past the window's
 * end, so the clients of a failed instance spill onto the instances following their different
 * windows instead of all onto their own remaining ones. If the whole fleet has fewer available
 * instances than the window holds, the subset is every instance (and the health tracker's panic
 * rule decides what is eligible).
 */
public final class DeterministicAperture {
  private static final Comparator<Positioned> RING_ORDER = Comparator
      .comparingLong(Positioned::position)
      .thenComparing(p -> p.endpoint().id());

  /** An endpoint with its ring position, hashed once per call rather than once per comparison. */
  private record Positioned(long position, Endpoint endpoint) {}

  private DeterministicAperture() {}

  /**
   * The subset of {@code members} for client {@code clientIndex} of {@code clientCount}, widened
   * past unavailable instances; in ring order, or {@code members} itself when it is no larger than
   * {@code subsetSize} or must be widened to everything. Arguments are trusted (checked by the
   * caller): {@code 0 <= clientIndex < clientCount}, {@code subsetSize >= 1}.
   */
  public static List<Endpoint> subset(List<Endpoint> members, int subsetSize, int clientIndex,
      int clientCount, Predicate<? super Endpoint> available) {
    int m = members.size();
    if (m <= subsetSize) {
      return members;
    }
    Positioned[] ring = new Positioned[m];
    for (int j = 0; j < m; j++) {
      Endpoint member = members.get(j);
      ring[j] = new Positioned(Xxh64.hashUtf8(member.id()), member);
    }
    Arrays.sort(ring, RING_ORDER);
    long start = (long) clientIndex * m;
    long end = start + Math.max((long) subsetSize * clientCount, m);
    int first = (int) (start / clientCount);
    int window = (int) Math.min(m, ceilDiv(end, clientCount) - first);
    if (window == m) {
      return members;
    }
    List<Endpoint> subset = new ArrayList<>(window);
    for (int step = 0; step < m && subset.size() < window; step++) {
      Endpoint endpoint = ring[(first + step) % m].endpoint();
      if (available.test(endpoint)) {
        subset.add(endpoint);
      }
    }
    return subset.size() < window ? members : List.copyOf(subset);
  }

  /**
   * The position of {@code selfId} among {@code peerIds} sorted by id, and the number of peers
   * counting self: a client absent from its peer list takes the place it will have once listed.
   *
   * @return {@code {index, count}}
   */
  public static int[] coordinate(List<Endpoint> peers, String selfId) {
    int before = 0;
    boolean listed = false;
    for (Endpoint peer : peers) {
      int cmp = peer.id().compareTo(selfId);
      if (cmp < 0) {
        before++;
      } else if (cmp == 0) {
        listed = true;
      }
    }
    return new int[] {before, listed ? peers.size() : peers.size() + 1};
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
