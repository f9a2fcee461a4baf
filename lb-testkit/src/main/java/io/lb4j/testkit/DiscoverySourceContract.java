package io.lb4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.Pick;
import io.lb4j.core.RandomSource;
import io.lb4j.core.discovery.DiscoveryOptions;
import io.lb4j.core.discovery.DiscoveryServerList;
import io.lb4j.core.discovery.DiscoveryStatus;
import io.lb4j.core.discovery.EmptyAnswerPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every discovery source passes, against its real registry (a DNS server on loopback,
 * a scripted Consul, an in-JVM ZooKeeper, a mock Kubernetes API server): readiness, the
 * initial-wait timeout, outages keeping the last list, backoff, the empty-answer policy, status,
 * bad entries skipped, closing, and a running {@link LoadBalancer} with the library's defaults
 * following changes. lb4j's own sources (lb-dns, lb-consul, lb-zookeeper, lb-kubernetes) and the
 * {@link io.lb4j.core.discovery.PollingServerList} base pass it; a source written outside lb4j
 * passes it the same way.
 *
 * <p>A source's test extends this class and supplies {@link #startRegistry()} (a {@link Registry}
 * the contract drives: register instances, break down, recover) and {@link #newSource} (the source
 * under test, started, following that registry). Each test method gets a fresh registry and
 * closes every source and balancer it built, then the registry.
 *
 * <p>Time is virtual: the source must use the {@link #options()} it is given (or a copy made with
 * {@link DiscoveryOptions#toBuilder()}), whose {@link ManualScheduler} the contract steps; registry
 * I/O is real and awaited with a 30-second deadline. Sources that receive pushed updates instead
 * of polling override {@link #pollsRegistry()}; the tests that only make sense for polling are then
 * skipped (assumptions), not failed.
 *
 * <p>One instance per test method (JUnit's default lifecycle); not thread-safe, as a test is not.
 */
public abstract class DiscoverySourceContract {
  /** An instance at 10.0.0.1:8080, weight 10. */
  protected static final Instance A = new Instance("10.0.0.1", 8080, 10);
  /** An instance at 10.0.0.2:8081, weight 20. */
  protected static final Instance B = new Instance("10.0.0.2", 8081, 20);
  /** An instance at 10.0.0.3:8082, weight 30. */
  protected static final Instance C = new Instance("10.0.0.3", 8082, 30);
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(10);

  /** The virtual-time scheduler behind {@link #options()}; a fresh one per test method. */
  protected final ManualScheduler scheduler = new ManualScheduler();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  /** The registry {@link #startRegistry()} started for the current test method. */
  protected Registry registry;

  /** Creates the contract's per-test state; a subclass's constructor takes no arguments. */
  protected DiscoverySourceContract() {}

  /**
   * One service instance as the contract states it; the fixture writes it in its registry's shape.
   * The contract only uses valid values (a port in [1, 65535], a weight &gt;= 1); a malformed entry
   * is the fixture's to write, in {@link Registry#registerWithOneMalformedEntry}.
   *
   * @param host the instance's IP address, as a literal
   * @param port its port
   * @param weight its weight
   */
  public record Instance(String host, int port, int weight) {}

  /**
   * The registry a source follows, driven by the test from the test's thread. Each method returns
   * once the change is visible to the source's next query (or, for a pushed source, once the
   * registry has accepted it; the contract then waits for the source with a deadline).
   */
  public interface Registry extends AutoCloseable {
    /**
     * From now on the registry holds exactly {@code instances} for the service (an empty list:
     * none, a successful but empty answer).
     *
     * @param instances the instances, in any order
     * @throws Exception if the registry cannot be written; the test fails
     */
    void register(List<Instance> instances) throws Exception;

    /**
     * Like {@link #register}, plus exactly one malformed entry (a port 0, an unparsable address)
     * that the source must skip and count in {@link DiscoveryStatus#skippedEntries()}.
     *
     * @param instances the valid instances, in any order
     * @throws Exception if the registry cannot be written; the test fails
     */
    void registerWithOneMalformedEntry(List<Instance> instances) throws Exception;

    /**
     * From now on queries fail (error answers, timeouts, a lost connection).
     *
     * @throws Exception if the outage cannot be staged; the test fails
     */
    void breakDown() throws Exception;

    /**
     * Queries succeed again, answering what was last registered.
     *
     * @throws Exception if the registry cannot be restored; the test fails
     */
    void recover() throws Exception;
  }

  /**
   * Starts the registry for one test method; the contract closes it after the method, after the
   * sources and balancers built on it.
   *
   * @return the started registry, holding no instances yet
   * @throws Exception if it cannot start; the test fails
   */
  protected abstract Registry startRegistry() throws Exception;

  /**
   * A started source following {@code registry}'s service, with exactly these options (their
   * scheduler, clock and random source included). The contract closes it after the test.
   *
   * @param registry the registry {@link #startRegistry()} returned
   * @param options the options to build the source with
   * @return the started source
   * @throws Exception if it cannot be built; the test fails
   */
  protected abstract DiscoveryServerList newSource(Registry registry, DiscoveryOptions options)
      throws Exception;

  /**
   * The endpoint the source should publish for {@code instance}: by default its host, port and
   * weight with no zone or metadata; a source that adds those overrides this.
   *
   * @param instance an instance the test registered
   * @return the endpoint the source's list must then contain
   */
  protected Endpoint expectedEndpoint(Instance instance) {
    return Endpoint.builder(instance.host(), instance.port()).weight(instance.weight()).build();
  }

  /**
   * Whether the source polls (steps on the scheduler) rather than receiving pushed updates.
   *
   * @return true by default; a pushed source (a watch) returns false
   */
  protected boolean pollsRegistry() {
    return true;
  }

  /**
   * Whether the source schedules its next query after every answer or failure, as a polling
   * source does. A source that steps on the scheduler only to read what was pushed (ZooKeeper)
   * answers false, so that the contract waits for the answer or failure alone.
   *
   * @return {@link #pollsRegistry()} by default
   */
  protected boolean schedulesNextQueryAfterEachStep() {
    return pollsRegistry();
  }

  /**
   * Options on virtual time: {@link #scheduler} and its clock, a seeded random source, an initial
   * wait of one hour unless a test says otherwise. Override to add options of your own, keeping
   * the scheduler and clock.
   *
   * @return new options on each call
   */
  protected DiscoveryOptions options() {
    return DiscoveryOptions.builder().scheduler(scheduler).clock(scheduler.clock())
        .random(RandomSource.seeded(42)).initialWait(Duration.ofHours(1)).build();
  }

  @BeforeEach
  void startRegistryForTest() throws Exception {
    registry = startRegistry();
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    registry.close();
  }

  /**
   * Builds a source with {@code options} through {@link #newSource}; closed after the test.
   *
   * @param options the options to build it with
   * @return the started source
   * @throws Exception if {@link #newSource} throws
   */
  protected final DiscoveryServerList start(DiscoveryOptions options) throws Exception {
    DiscoveryServerList source = newSource(registry, options);
    closeables.add(source);
    return source;
  }

  /**
   * Lets one query run (if polling) and waits until the source has received one more answer.
   *
   * @param source a source built by {@link #start}
   * @throws org.awaitility.core.ConditionTimeoutException if no answer came within the deadline
   */
  protected final void awaitAnswer(DiscoveryServerList source) {
    long before = source.status().answers();
    awaitStep(pollsRegistry() ? scheduler : null, () -> source.status().answers() > before,
        schedulesNextQueryAfterEachStep());
  }

  /**
   * Lets one query run (if polling) and waits until the source has counted one more failure.
   *
   * @param source a source built by {@link #start}
   * @throws org.awaitility.core.ConditionTimeoutException if no failure came within the deadline
   */
  protected final void awaitFailure(DiscoveryServerList source) {
    int before = source.status().consecutiveFailures();
    awaitStep(pollsRegistry() ? scheduler : null,
        () -> source.status().consecutiveFailures() > before, schedulesNextQueryAfterEachStep());
  }

  /**
   * Runs the next task of {@code scheduler} (if not null: the polling source's next query) and
   * waits, with a deadline, until {@code source} has received one more successful answer and, if
   * polling, has scheduled its next query (so {@link ManualScheduler#nextDelay()} shows it). For a
   * source's own tests outside the contract.
   *
   * @param scheduler the scheduler in the source's options, or null for a pushed source
   * @param source the source
   * @throws IllegalStateException if {@code scheduler} has no task pending
   * @throws org.awaitility.core.ConditionTimeoutException if no answer came within the deadline
   */
  public static void awaitAnswer(ManualScheduler scheduler, DiscoveryServerList source) {
    long before = source.status().answers();
    awaitStep(scheduler, () -> source.status().answers() > before, true);
  }

  /**
   * Like {@link #awaitAnswer(ManualScheduler, DiscoveryServerList)}, for one more failure.
   *
   * @param scheduler the scheduler in the source's options, or null for a pushed source
   * @param source the source
   * @throws IllegalStateException if {@code scheduler} has no task pending
   * @throws org.awaitility.core.ConditionTimeoutException if no failure came within the deadline
   */
  public static void awaitFailure(ManualScheduler scheduler, DiscoveryServerList source) {
    int before = source.status().consecutiveFailures();
    awaitStep(scheduler, () -> source.status().consecutiveFailures() > before, true);
  }

  private static void awaitStep(ManualScheduler scheduler, Callable<Boolean> outcome,
      boolean nextQueryScheduled) {
    if (scheduler == null || !nextQueryScheduled) {
      if (scheduler != null) {
        scheduler.runNext();
      }
      await().atMost(DEADLINE).pollInterval(POLL).until(outcome);
      return;
    }
    // A polling source records the outcome, then schedules its next query: wait for both.
    long scheduled = scheduler.scheduledCount();
    scheduler.runNext();
    await().atMost(DEADLINE).pollInterval(POLL)
        .until(() -> outcome.call() && scheduler.scheduledCount() > scheduled);
  }

  /**
   * The endpoints the source should publish for {@code instances}, through {@link
   * #expectedEndpoint}.
   *
   * @param instances instances the test registered
   * @return their expected endpoints, in the same order
   */
  protected final List<Endpoint> expected(Instance... instances) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Instance instance : instances) {
      endpoints.add(expectedEndpoint(instance));
    }
    return endpoints;
  }

  @Test
  void notReadyBeforeTheFirstAnswerThenReadyWithIt() throws Exception {
    registry.register(List.of(A, B));
    DiscoveryServerList source = start(options());
    if (pollsRegistry()) {
      assertThat(source.isReady()).isFalse();
      assertThat(source.whenReady()).isNotDone();
      assertThat(source.endpoints()).isEmpty();
    }
    awaitAnswer(source);

    source.whenReady().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(source.isReady()).isTrue();
    assertThat(source.status().ready()).isTrue();
    assertThat(source.endpoints()).containsExactlyInAnyOrderElementsOf(expected(A, B));
  }

  @Test
  void initialAnswerIsPublishedBeforeTheSourceTurnsReady() throws Exception {
    assumeThat(pollsRegistry()).as("a pushed source may answer before the test subscribes").isTrue();
    registry.register(List.of(A, B));
    DiscoveryServerList source = start(options());
    List<Boolean> readyWhenPublished = new CopyOnWriteArrayList<>();
    source.subscribe(endpoints -> {
      if (!endpoints.isEmpty()) {
        readyWhenPublished.add(source.isReady());
      }
    });

    awaitAnswer(source);
    registry.register(List.of(A, B, C));
    awaitAnswer(source);

    // A balancer reads isReady() in its listener to start the first answer at full weight.
    assertThat(readyWhenPublished).containsExactly(false, true);
  }

  @Test
  void initialWaitExpiryFailsWhenReadyNamingTheSourceAndTheSourceKeepsTrying() throws Exception {
    registry.breakDown();
    DiscoveryServerList source =
        start(options().toBuilder().initialWait(Duration.ofMillis(500)).build());
    CompletableFuture<Void> ready = source.whenReady();
    awaitFailure(source);

    scheduler.advance(Duration.ofMillis(500));

    assertThat(ready).isCompletedExceptionally();
    assertThatThrownBy(ready::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(TimeoutException.class)
        .hasMessageContaining(source.name())
        .hasMessageContaining("initialWait PT0.5S");
    assertThat(source.isReady()).isFalse();

    registry.recover();
    registry.register(List.of(A));
    awaitAnswer(source);
    assertThat(source.isReady()).isTrue();
    assertThat(source.whenReady()).isCompleted();
    assertThat(source.endpoints()).containsExactlyInAnyOrderElementsOf(expected(A));
  }

  @Test
  void failedQueriesKeepTheLastKnownListAndShowInTheStatus() throws Exception {
    registry.register(List.of(A, B));
    DiscoveryServerList source = start(options());
    awaitAnswer(source);
    Instant firstSuccess = source.status().lastSuccess().orElseThrow();

    registry.breakDown();
    awaitFailure(source);
    awaitFailure(source);

    DiscoveryStatus status = source.status();
    assertThat(status.consecutiveFailures()).isEqualTo(2);
    assertThat(status.lastError()).isPresent();
    assertThat(status.lastFailure()).isPresent();
    assertThat(status.lastSuccess()).contains(firstSuccess);
    assertThat(status.endpoints()).isEqualTo(2);
    assertThat(source.endpoints()).containsExactlyInAnyOrderElementsOf(expected(A, B));

    registry.recover();
    registry.register(List.of(A, B, C));
    awaitAnswer(source);
    assertThat(source.status().consecutiveFailures()).isZero();
    assertThat(source.endpoints()).containsExactlyInAnyOrderElementsOf(expected(A, B, C));
  }

  @Test
  void failuresBackOffExponentiallyWithJitterUpToTheCapAndResetAfterSuccess() throws Exception {
    assumeThat(pollsRegistry()).as("a pushed source retries through its client").isTrue();
    registry.register(List.of(A));
    DiscoveryServerList source = start(
        options().toBuilder().backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)).build());
    awaitAnswer(source);
    registry.breakDown();

    long[] baseSeconds = {1, 2, 4, 8, 8};
    for (long base : baseSeconds) {
      awaitFailure(source);
      Duration delay = scheduler.nextDelay().orElseThrow();
      assertThat(delay)
          .isBetween(Duration.ofMillis(base * 800), Duration.ofMillis(Math.min(base * 1200, 8000)));
    }

    registry.recover();
    awaitAnswer(source);
    registry.breakDown();
    awaitFailure(source);
    assertThat(scheduler.nextDelay().orElseThrow())
        .isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
  }

  @Test
  void emptyAnswerKeepsTheLastNonEmptyListByDefault() throws Exception {
    registry.register(List.of(A, B));
    DiscoveryServerList source = start(options());
    awaitAnswer(source);

    registry.register(List.of());
    awaitAnswer(source);

    assertThat(source.endpoints()).containsExactlyInAnyOrderElementsOf(expected(A, B));
    assertThat(source.status().consecutiveFailures()).isZero();
  }

  @Test
  void emptyAnswerEmptiesTheListWhenAllowed() throws Exception {
    registry.register(List.of(A, B));
    DiscoveryServerList source =
        start(options().toBuilder().emptyAnswers(EmptyAnswerPolicy.ALLOW_EMPTY).build());
    awaitAnswer(source);

    registry.register(List.of());
    awaitAnswer(source);

    assertThat(source.endpoints()).isEmpty();
  }

  @Test
  void malformedEntryIsSkippedAndTheRestOfTheAnswerPublished() throws Exception {
    registry.registerWithOneMalformedEntry(List.of(A, B));
    DiscoveryServerList source = start(options());
    awaitAnswer(source);

    assertThat(source.endpoints()).containsExactlyInAnyOrderElementsOf(expected(A, B));
    assertThat(source.status().skippedEntries()).isEqualTo(1);
  }

  @Test
  void runningLoadBalancerWithDefaultsFollowsRegistryChanges() throws Exception {
    registry.register(List.of(A, B));
    DiscoveryServerList source = start(options());
    LoadBalancer balancer = LoadBalancer.builder(source).name("contract").build();
    closeables.add(balancer);
    awaitAnswer(source);
    assertThat(picked(balancer, 50)).containsExactlyInAnyOrder(expectedEndpoint(A).id(), expectedEndpoint(B).id());

    registry.register(List.of(B, C));
    awaitAnswer(source);

    assertThat(balancer.endpoints()).containsExactlyInAnyOrderElementsOf(expected(B, C));
    assertThat(picked(balancer, 50)).doesNotContain(expectedEndpoint(A).id()).contains(expectedEndpoint(B).id());
  }

  @Test
  void closedSourceStopsFollowingTheRegistry() throws Exception {
    registry.register(List.of(A));
    DiscoveryServerList source = start(options());
    awaitAnswer(source);

    source.close();
    registry.register(List.of(B));

    if (pollsRegistry()) {
      assertThat(scheduler.pending()).isZero();
    }
    assertThat(source.endpoints()).containsExactlyInAnyOrderElementsOf(expected(A));
  }

  @Test
  void closingBeforeTheInitialSyncFailsWhenReady() throws Exception {
    registry.breakDown();
    DiscoveryServerList source = start(options());
    CompletableFuture<Void> ready = source.whenReady();

    source.close();

    assertThatThrownBy(ready::get).cause().isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(source.name());
  }

  private static Set<String> picked(LoadBalancer balancer, int picks) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < picks; i++) {
      Pick pick = balancer.pick();
      ids.add(pick.endpoint().id());
      pick.complete(true, 1_000_000);
    }
    return ids;
  }
}
