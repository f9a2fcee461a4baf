package io.lb4j.examples;

import io.lb4j.core.Endpoint;
import io.lb4j.core.Subsetting;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The ways of choosing a client's instances that {@link SubsettingLab} compares: lb4j's
 * deterministic aperture, two random schemes, the SRE book's deterministic subsetting, and none.
 * Stateless; each scheme is a pure function of the client's coordinate and the instance list.
 */
enum SubsetScheme {
  /** lb4j's {@link Subsetting#deterministicAperture(int, int, int)}. */
  DETERMINISTIC_APERTURE("deterministic aperture (lb4j)") {
    @Override
    Set<Endpoint> subset(int client, int clients, String clientId, List<Endpoint> instances, int k) {
      return new HashSet<>(Subsetting.deterministicAperture(k, client, clients).subset(instances));
    }
  },
  /**
   * Each client takes the k instances of highest hash of (client id, instance id): random subsets,
   * in the form that moves nothing but the leaving instance's or client's own assignments.
   */
  RANDOM("random (rendezvous top-k)") {
    @Override
    Set<Endpoint> subset(int client, int clients, String clientId, List<Endpoint> instances, int k) {
      List<Endpoint> ranked = new ArrayList<>(instances);
      long clientHash = mix(clientId.hashCode());
      ranked.sort(Comparator.comparingLong((Endpoint e) -> mix(clientHash ^ e.id().hashCode())).reversed());
      return new HashSet<>(ranked.subList(0, Math.min(k, ranked.size())));
    }
  },
  /** Each client shuffles the instances with a seed of its own and takes the first k. */
  RANDOM_SHUFFLE("random (shuffle per client)") {
    @Override
    Set<Endpoint> subset(int client, int clients, String clientId, List<Endpoint> instances, int k) {
      List<Endpoint> shuffled = new ArrayList<>(instances);
      Collections.shuffle(shuffled, new Random(clientId.hashCode()));
      return new HashSet<>(shuffled.subList(0, Math.min(k, shuffled.size())));
    }
  },
  /**
   * Site Reliability Engineering, ch. 20: clients in rounds of M/k; each round shuffles the
   * instances with the round number as seed and gives each client of the round a disjoint slice.
   */
  SRE_BOOK("SRE book deterministic subsetting") {
    @Override
    Set<Endpoint> subset(int client, int clients, String clientId, List<Endpoint> instances, int k) {
      int subsetCount = Math.max(1, instances.size() / k);
      int round = client / subsetCount;
      List<Endpoint> shuffled = new ArrayList<>(instances);
      Collections.shuffle(shuffled, new Random(round));
      int start = (client % subsetCount) * k;
      return new HashSet<>(shuffled.subList(start, Math.min(start + k, shuffled.size())));
    }
  },
  /** Every client talks to every instance. */
  NONE("no subsetting") {
    @Override
    Set<Endpoint> subset(int client, int clients, String clientId, List<Endpoint> instances, int k) {
      return new HashSet<>(instances);
    }
  };

  private final String label;

  SubsetScheme(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  /** The instances client {@code client} of {@code clients} (named {@code clientId}) talks to. */
  abstract Set<Endpoint> subset(int client, int clients, String clientId, List<Endpoint> instances, int k);

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
