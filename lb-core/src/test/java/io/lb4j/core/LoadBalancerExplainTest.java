package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.PickExplanation.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LoadBalancer#explain} reproduces the pick's decision, names the rule, shows every member's
 * state, and changes nothing: for each algorithm family (round robin, weighted, P2C / least
 * response time, hash, sticky).
 */
class LoadBalancerExplainTest {
  private static final Endpoint A = Endpoint.of("10.0.0.1", 8080);
  private static final Endpoint B = Endpoint.of("10.0.0.2", 8080);
  private static final Endpoint C = Endpoint.builder("10.0.0.3", 8080).weight(5).build();

  /** Always draws 0: a P2C pick draws candidates 0 and 1, a weighted draw its first column. */
  private static final RandomSource ZERO = new RandomSource() {
    @Override
    public int nextInt(int bound) {
      return 0;
    }

    @Override
    public double nextDouble() {
      return 0;
    }
  };

  private final ManualTicker ticker = new ManualTicker();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
  }

  private LoadBalancer balancer(Algorithm algorithm, RandomSource random, Endpoint... endpoints) {
    LoadBalancer balancer = LoadBalancer.builder(MutableServerList.of(endpoints)).name("orders")
        .algorithm(algorithm).ticker(ticker).random(random).build();
    closeables.add(balancer);
    return balancer;
  }

  private static String chosen(PickExplanation explanation) {
    return explanation.chosen().orElseThrow().id();
  }

  private static Member member(PickExplanation explanation, Endpoint endpoint) {
    return explanation.members().stream().filter(m -> m.endpoint().equals(endpoint)).findFirst()
        .orElseThrow();
  }

  @Test
  void roundRobinExplainsTheNextPositionWithoutAdvancingIt() {
    LoadBalancer balancer = balancer(Algorithms.roundRobin(), RandomSource.seeded(3), A, B, C);
    PickContext context = PickContext.create();

    PickExplanation first = balancer.explain(context);
    PickExplanation again = balancer.explain(context);
    Pick pick = balancer.pick(context);

    assertThat(chosen(again)).isEqualTo(chosen(first)).isEqualTo(pick.endpoint().id());
    assertThat(first.rule()).startsWith("round robin: the shared counter is at position ")
        .endsWith("-> " + pick.endpoint().id());
    assertThat(balancer.pickCount()).as("explaining is not picking").isEqualTo(1);
    pick.complete(true);

    PickContext excluding = PickContext.create();
    Endpoint next = balancer.explain(excluding).chosen().orElseThrow();
    excluding.exclude(next);
    PickExplanation moved = balancer.explain(excluding);
    assertThat(moved.rule()).contains(next.id() + ", excluded by the call (already tried)");
    assertThat(chosen(moved)).isNotEqualTo(next.id()).isEqualTo(balancer.pick(excluding).endpoint().id());
    assertThat(member(moved, next).excluded()).isTrue();
  }

  @Test
  void smoothWeightedRoundRobinExplainsItsSlotAndTheWeights() {
    LoadBalancer balancer = balancer(Algorithms.smoothWeightedRoundRobin(), RandomSource.seeded(5),
        A, B, C);
    for (int i = 0; i < 7; i++) {
      PickExplanation explanation = balancer.explain(PickContext.create());
      assertThat(explanation.rule()).contains("of the 7-slot cycle of weights 1:1:5");
      assertThat(chosen(explanation)).isEqualTo(balancer.pick().endpoint().id());
    }
    assertThat(member(balancer.explain(PickContext.create()), C).weight()).isEqualTo(5);
  }

  @Test
  void weightedRandomNamesTheDrawnWeight() {
    LoadBalancer balancer = balancer(Algorithms.weightedRandom(), ZERO, A, B, C);
    PickExplanation explanation = balancer.explain(PickContext.create());
    assertThat(explanation.rule()).startsWith("weighted random: drew weight ")
        .contains("of total 7");
    assertThat(chosen(explanation)).isEqualTo(balancer.pick().endpoint().id());
  }

  @Test
  void leastResponseTimeShowsBothDrawsAndTheirCosts() {
    LoadBalancer balancer = balancer(Algorithms.leastResponseTime(), ZERO, A, B);
    // A: 9.8 ms, one call still in flight; B: 4.1 ms, two in flight.
    complete(balancer, A, Duration.ofMillis(9_800).dividedBy(1000));
    complete(balancer, B, Duration.ofMillis(4_100).dividedBy(1000));
    balancer.pick(only(A));
    balancer.pick(only(B));
    balancer.pick(only(B));

    PickExplanation explanation = balancer.explain(PickContext.create());

    assertThat(explanation.rule()).isEqualTo("least response time (P2C) drew " + A.id() + " and "
        + B.id() + "; " + B.id() + " won: cost 4.1 ms x (2 in flight + 1) vs cost 9.8 ms x "
        + "(1 in flight + 1)");
    assertThat(member(explanation, B).inFlight()).isEqualTo(2);
    assertThat(member(explanation, A).latencyEstimate()).isEqualTo(Duration.ofNanos(9_800_000));
    assertThat(balancer.stats(B.id()).orElseThrow().inFlight()).as("nothing counted").isEqualTo(2);
    assertThat(balancer.pick().endpoint()).isEqualTo(B);
  }

  @Test
  void powerOfTwoChoicesNamesTheExcludedDraw() {
    LoadBalancer balancer = balancer(Algorithms.powerOfTwoChoices(), ZERO, A, B, C);
    PickExplanation explanation = balancer.explain(PickContext.create().exclude(A));
    assertThat(explanation.rule()).isEqualTo("P2C drew " + A.id() + " and " + B.id() + "; " + A.id()
        + " is excluded by the call (already tried) -> " + B.id());
  }

  private static PickContext only(Endpoint endpoint) {
    PickContext context = PickContext.create();
    for (Endpoint other : List.of(A, B, C)) {
      if (!other.equals(endpoint)) {
        context.exclude(other);
      }
    }
    return context;
  }

  private void complete(LoadBalancer balancer, Endpoint endpoint, Duration latency) {
    balancer.pick(only(endpoint)).complete(true, latency.toNanos());
  }

  static Stream<Algorithm> hashAlgorithms() {
    return Stream.of(Algorithms.hashModulo(), Algorithms.ringHash(), Algorithms.maglev(),
        Algorithms.rendezvous(), Algorithms.boundedLoadHash());
  }

  @ParameterizedTest
  @MethodSource("hashAlgorithms")
  void hashAlgorithmsExplainTheKeysEndpointAndWhereExclusionMovedIt(Algorithm algorithm) {
    LoadBalancer balancer = balancer(algorithm, RandomSource.seeded(1), A, B, C);
    for (int user = 0; user < 30; user++) {
      PickContext context = PickContext.create().hashKey("user-" + user);
      PickExplanation explanation = balancer.explain(context);
      assertThat(explanation.rule()).contains(": key hash " + String.format("%016x", context.hashKey()));
      Endpoint owner = explanation.chosen().orElseThrow();
      assertThat(balancer.pick(context).endpoint()).isEqualTo(owner);

      context.exclude(owner);
      PickExplanation moved = balancer.explain(context);
      assertThat(moved.rule()).contains("-> " + owner.id() + ", excluded by the call");
      assertThat(moved.chosen().orElseThrow()).isNotEqualTo(owner)
          .isEqualTo(balancer.pick(context).endpoint());
    }
  }

  @Test
  void ringHashNamesThePointTheKeyFallsBefore() {
    LoadBalancer balancer = balancer(Algorithms.ringHash(), RandomSource.seeded(1), A, B, C);
    assertThat(balancer.explain(PickContext.create().hashKey("user-7")).rule())
        .matches("ring hash: key hash [0-9a-f]{16} falls before ring point [0-9a-f]{16} of 1120 -> .*");
  }

  @Test
  void stickyShowsThePinWithoutMakingOne() {
    LoadBalancer balancer = balancer(Algorithms.sticky(Algorithms.roundRobin()),
        RandomSource.seeded(2), A, B, C);
    PickContext context = PickContext.create().sessionId("cart-9");

    PickExplanation unpinned = balancer.explain(context);
    assertThat(unpinned.rule()).startsWith("sticky: session 'cart-9' is not pinned, so the delegate "
        + "chooses (and a pick would pin it): round robin:");
    assertThat(balancer.explain(context).rule()).as("explaining pins nothing")
        .contains("is not pinned");

    Endpoint pinned = balancer.pick(context).endpoint();
    assertThat(pinned.id()).isEqualTo(chosen(unpinned));
    PickExplanation explanation = balancer.explain(context);
    assertThat(explanation.rule()).isEqualTo("sticky: session 'cart-9' is pinned to " + pinned.id());
    assertThat(explanation.chosen()).contains(pinned);
  }

  @Test
  void membersShowWhyTheyAreNotCandidates() {
    LoadBalancer balancer = balancer(Algorithms.roundRobin(), RandomSource.seeded(1), A, B, C);
    balancer.healthTracker().markUnavailable(B, "operator", "drain");
    PickExplanation explanation = balancer.explain(PickContext.create());

    assertThat(member(explanation, B).state()).isEqualTo("marked (operator: drain)");
    assertThat(member(explanation, B).candidate()).isFalse();
    assertThat(member(explanation, A).state()).isEqualTo("eligible");
    assertThat(member(explanation, A).candidate()).isTrue();
    assertThat(explanation.chosen()).isNotEqualTo(java.util.Optional.of(B));
    assertThat(explanation.toString())
        .startsWith("orders (round-robin): round robin: ")
        .contains("endpoint", "candidate", "in flight", "marked (operator: drain)");
  }

  @Test
  void anotherZonesEndpointIsShownOutsideTheLocalZone() {
    Endpoint local = Endpoint.builder("10.0.1.1", 8080).zone("a").build();
    Endpoint remote = Endpoint.builder("10.0.2.1", 8080).zone("b").build();
    LoadBalancer balancer = LoadBalancer.builder(MutableServerList.of(local, remote)).name("orders")
        .algorithm(Algorithms.roundRobin()).localZone("a").build();
    closeables.add(balancer);

    PickExplanation explanation = balancer.explain(PickContext.create());

    assertThat(member(explanation, remote).state()).isEqualTo("outside the local zone");
    assertThat(member(explanation, remote).candidate()).isFalse();
    assertThat(explanation.chosen()).contains(local);
  }

  @Test
  void nothingToPickSaysWhy() {
    LoadBalancer balancer = balancer(Algorithms.roundRobin(), RandomSource.seeded(1));
    PickExplanation explanation = balancer.explain(PickContext.create());
    assertThat(explanation.chosen()).isEmpty();
    assertThat(explanation.rule()).isEqualTo("load balancer 'orders': the server list is empty");
    assertThat(balancer.noEndpointCount(NoEndpointAvailableException.Reason.EMPTY_LIST)).isZero();
  }
}
