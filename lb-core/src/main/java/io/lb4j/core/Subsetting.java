package io.lb4j.core;

import io.lb4j.core.internal.Arguments;
import io.lb4j.core.internal.membership.DeterministicAperture;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Deterministic subsetting: each client of a large fleet talks to a small subset of the instances,
 * chosen so that every instance gets an even share of clients and a membership change moves few
 * client→instance assignments. Set it with {@link LoadBalancer.Builder#subsetting}; the subset is
 * then the candidate set every algorithm, the health tracker's eligibility and zone preference work
 * on, so it composes with all of them. Hash-based algorithms then map a key consistently within
 * one client's subset only, as subsets differ between clients.
 *
 * <p>The scheme is Finagle's deterministic aperture (clients and instances on two unit rings, each
 * client a contiguous window of width {@code max(k/M, 1/N)} starting at {@code i/N}), not the SRE
 * book's deterministic subsetting (rounds of lists shuffled by a round seed). Both balance clients
 * per instance evenly, but the SRE book's needs the client count to be a multiple of
 * {@code M / k} for exact balance, and any change of the instance list reshuffles every round, so
 * nearly every client changes nearly its whole subset; the aperture's windows only slide. One
 * instance leaving costs each client at most one other instance and two new ones; one client
 * leaving moves each other window's ends by at most {@code ⌈M/(N−1)⌉} instances, about one when
 * there are more clients than instances (property-tested; lb-benchmarks/RESULTS.md has the
 * measured comparison: 1,000 clients × 300 instances move 0.8–2.9 % of their assignments, the SRE
 * book's scheme 95–178 %).
 *
 * <p>Each client's subset is {@code k} or {@code k + 1} instances (the window's partly covered end
 * instances count as members). When some of them are unavailable the subset widens: it keeps as
 * many available instances as the window holds, taking the next available ones along the ring past
 * the window for those that are not, so the lost instance's clients spread their share over
 * different neighbours. When the whole fleet has fewer available instances than that, the subset
 * is every instance.
 *
 * <p>The client's coordinate, its index {@code i} among {@code N} peers, comes from configuration
 * ({@link #deterministicAperture(int, int, int)}) or from a {@link ServerList} of the clients
 * themselves ({@link #deterministicAperture(int, ServerList, String)}), which the balancer follows.
 *
 * <p>Immutable and thread-safe (the peer list it follows is live). Subsets are computed when the
 * balancer rebuilds its selector, never on the pick path.
 */
public final class Subsetting {
  private final int subsetSize;
  private final int clientIndex;
  private final int clientCount;
  private final ServerList peers;
  private final String selfId;

  private Subsetting(int subsetSize, int clientIndex, int clientCount, ServerList peers, String selfId) {
    this.subsetSize = subsetSize;
    this.clientIndex = clientIndex;
    this.clientCount = clientCount;
    this.peers = peers;
    this.selfId = selfId;
  }

  /**
   * Deterministic aperture for client {@code clientIndex} of {@code clientCount}, each client taking
   * about {@code subsetSize} instances. Every client of the fleet must be configured with the same
   * count and subset size and its own distinct index.
   *
   * @throws IllegalArgumentException if {@code subsetSize} or {@code clientCount} is below 1, or
   *     {@code clientIndex} is not in {@code [0, clientCount)}
   */
  public static Subsetting deterministicAperture(int subsetSize, int clientIndex, int clientCount) {
    Arguments.atLeast(subsetSize, 1, "subsetSize");
    Arguments.atLeast(clientCount, 1, "clientCount");
    if (clientIndex < 0 || clientIndex >= clientCount) {
      throw new IllegalArgumentException("clientIndex must be in [0, " + clientCount + "), was "
          + clientIndex);
    }
    return new Subsetting(subsetSize, clientIndex, clientCount, null, null);
  }

  /**
   * Deterministic aperture with the coordinate taken from {@code peers}, a server list of the
   * clients themselves (for instance from the registry they register in): this client's index is
   * the number of peers whose id sorts before {@code selfId}, the count the number of peers. A
   * client not (yet) in the list counts itself in at its future place. A balancer using it
   * rebuilds whenever {@code peers} changes.
   *
   * @throws IllegalArgumentException if {@code subsetSize} is below 1 or {@code selfId} is blank
   */
  public static Subsetting deterministicAperture(int subsetSize, ServerList peers, String selfId) {
    Arguments.atLeast(subsetSize, 1, "subsetSize");
    Objects.requireNonNull(peers, "peers");
    Objects.requireNonNull(selfId, "selfId");
    if (selfId.isBlank()) {
      throw new IllegalArgumentException("selfId must not be blank, was '" + selfId + "'");
    }
    return new Subsetting(subsetSize, 0, 1, peers, selfId);
  }

  /** The subset size {@code k} given at creation. */
  public int subsetSize() {
    return subsetSize;
  }

  /** This client's index among its peers now: fixed, or read from the peer list. */
  public int clientIndex() {
    return coordinate()[0];
  }

  /** The number of clients now (this one included): fixed, or read from the peer list. */
  public int clientCount() {
    return coordinate()[1];
  }

  /**
   * The subset of {@code members} this client talks to, with every member available: in ring order,
   * or {@code members} itself when it has no more than {@code subsetSize} members.
   */
  public List<Endpoint> subset(List<Endpoint> members) {
    return subset(members, endpoint -> true);
  }

  /**
   * The subset of {@code members} this client talks to, widened past the members that
   * {@code available} rejects (see the class comment). The balancer passes
   * {@link HealthTracker#isAvailable}.
   */
  public List<Endpoint> subset(List<Endpoint> members, Predicate<? super Endpoint> available) {
    Objects.requireNonNull(members, "members");
    Objects.requireNonNull(available, "available");
    int[] coordinate = coordinate();
    return DeterministicAperture.subset(members, subsetSize, coordinate[0], coordinate[1], available);
  }

  private int[] coordinate() {
    return peers == null
        ? new int[] {clientIndex, clientCount}
        : DeterministicAperture.coordinate(peers.endpoints(), selfId);
  }

  /** Runs {@code onChange} after each change of the peer list, if there is one. */
  Subscription subscribe(Runnable onChange) {
    if (peers == null) {
      return () -> { };
    }
    return peers.subscribe(list -> onChange.run());
  }

  @Override
  public String toString() {
    return "Subsetting{deterministic aperture, subsetSize=" + subsetSize
        + (peers == null ? ", client " + clientIndex + " of " + clientCount : ", self " + selfId)
        + "}";
  }
}
