package io.lb4j.kubernetes;

import static io.lb4j.kubernetes.FakeApiServer.endpoint;
import static io.lb4j.kubernetes.FakeApiServer.ready;
import static io.lb4j.kubernetes.FakeApiServer.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lb4j.core.Endpoint;
import io.lb4j.core.discovery.DiscoveryOptions;
import io.lb4j.core.discovery.EmptyAnswerPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scenarios of a Service during its life, against fabric8's Kubernetes API server in CRUD mode:
 * a rollout's conditions, several slices, deletion, 410 Gone, the server going down and back.
 */
class KubernetesServerListTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final FakeApiServer server = FakeApiServer.start();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    server.close();
  }

  private KubernetesServerList follow(EmptyAnswerPolicy emptyAnswers) throws Exception {
    KubernetesServerList list = KubernetesServerList.builder(FakeApiServer.SERVICE)
        .namespace(FakeApiServer.NAMESPACE).portName("http").config(server.config())
        .options(DiscoveryOptions.builder().backoff(Duration.ofMillis(200), Duration.ofSeconds(1))
            .emptyAnswers(emptyAnswers).build())
        .build();
    closeables.add(list);
    list.whenReady().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    return list;
  }

  private static void awaitHosts(KubernetesServerList list, String... hosts) {
    await().atMost(DEADLINE).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
        assertThat(list.endpoints()).extracting(Endpoint::host).containsExactlyInAnyOrder(hosts));
  }

  @Test
  void mapsZoneNodeAndPodOfEachReadyAddress() throws Exception {
    server.apply(slice("orders-1", 8443, ready("10.1.0.1", "orders-a")).build());

    KubernetesServerList list = follow(EmptyAnswerPolicy.KEEP_LAST_NON_EMPTY);

    assertThat(list.endpoints()).containsExactly(Endpoint.builder("10.1.0.1", 8443).zone("zone-a")
        .metadata(KubernetesServerList.NODE_METADATA, "node-orders-a")
        .metadata(KubernetesServerList.POD_METADATA, "orders-a").build());
  }

  @Test
  void podTurningNotReadyLeavesAndComesBack() throws Exception {
    server.apply(slice("orders-1", 8443, ready("10.1.0.1", "a"), ready("10.1.0.2", "b")).build());
    KubernetesServerList list = follow(EmptyAnswerPolicy.KEEP_LAST_NON_EMPTY);

    server.apply(slice("orders-1", 8443, ready("10.1.0.1", "a"),
        endpoint("10.1.0.2", "b", false, false, false)).build());
    awaitHosts(list, "10.1.0.1");

    server.apply(slice("orders-1", 8443, ready("10.1.0.1", "a"), ready("10.1.0.2", "b")).build());
    awaitHosts(list, "10.1.0.1", "10.1.0.2");
  }

  @Test
  void rolloutTerminatingPodsServeOnlyUntilANewPodIsReady() throws Exception {
    server.apply(slice("orders-1", 8443, ready("10.1.0.1", "old-a"), ready("10.1.0.2", "old-b"))
        .build());
    KubernetesServerList list = follow(EmptyAnswerPolicy.KEEP_LAST_NON_EMPTY);

    // Both old pods terminate (still serving) while the new one starts (not ready yet).
    server.apply(slice("orders-1", 8443, endpoint("10.1.0.1", "old-a", false, true, true),
        endpoint("10.1.0.2", "old-b", false, true, true),
        endpoint("10.1.0.3", "new-a", false, false, false)).build());
    awaitHosts(list, "10.1.0.1", "10.1.0.2");

    // One old pod stops serving; the new pod turns ready: only the ready one takes traffic.
    server.apply(slice("orders-1", 8443, endpoint("10.1.0.1", "old-a", false, true, true),
        endpoint("10.1.0.2", "old-b", false, false, true), ready("10.1.0.3", "new-a")).build());
    awaitHosts(list, "10.1.0.3");
  }

  @Test
  void endpointsSplitAcrossSlicesAreJoinedAndAnAddressInTwoSlicesCountsOnce() throws Exception {
    server.apply(slice("orders-1", 8443, ready("10.1.0.1", "a"), ready("10.1.0.2", "b")).build());
    server.apply(slice("orders-2", 8443, ready("10.1.0.2", "b"), ready("10.1.0.3", "c")).build());

    KubernetesServerList list = follow(EmptyAnswerPolicy.KEEP_LAST_NON_EMPTY);

    assertThat(list.endpoints()).extracting(Endpoint::host)
        .containsExactlyInAnyOrder("10.1.0.1", "10.1.0.2", "10.1.0.3");
    assertThat(list.status().skippedEntries()).isZero();

    server.delete("orders-1");
    awaitHosts(list, "10.1.0.2", "10.1.0.3");
  }

  @Test
  void slicesOfTheOtherFamilyAndOtherServicesAreIgnored() throws Exception {
    server.apply(slice("orders-v4", 8443, ready("10.1.0.1", "a")).build());
    server.apply(slice("orders-v6", 8443, ready("fd00::1", "a")).withAddressType("IPv6").build());
    server.apply(slice("payments-1", 8443, ready("10.9.0.1", "p")).editMetadata()
        .addToLabels(KubernetesServerList.SERVICE_NAME_LABEL, "payments").endMetadata().build());

    KubernetesServerList v4 = follow(EmptyAnswerPolicy.KEEP_LAST_NON_EMPTY);
    KubernetesServerList v6 = KubernetesServerList.builder(FakeApiServer.SERVICE)
        .namespace(FakeApiServer.NAMESPACE).config(server.config())
        .addressFamily(AddressFamily.IPV6).build();
    closeables.add(v6);
    v6.whenReady().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

    assertThat(v4.endpoints()).extracting(Endpoint::host).containsExactly("10.1.0.1");
    assertThat(v6.endpoints()).extracting(Endpoint::host).containsExactly("fd00::1");
  }

  @Test
  void deletingTheLastSliceEmptiesTheListOnlyWhenAllowed() throws Exception {
    server.apply(slice("orders-1", 8443, ready("10.1.0.1", "a")).build());
    KubernetesServerList keeping = follow(EmptyAnswerPolicy.KEEP_LAST_NON_EMPTY);
    KubernetesServerList allowing = follow(EmptyAnswerPolicy.ALLOW_EMPTY);

    server.delete("orders-1");

    await().atMost(DEADLINE).until(() -> allowing.endpoints().isEmpty());
    assertThat(keeping.endpoints()).extracting(Endpoint::host).containsExactly("10.1.0.1");
  }

  @Test
  void apiServerDownKeepsTheListAndChangesMadeWhileDownArriveWhenItIsBack() throws Exception {
    server.apply(slice("orders-1", 8443, ready("10.1.0.1", "a")).build());
    KubernetesServerList list = follow(EmptyAnswerPolicy.KEEP_LAST_NON_EMPTY);

    server.stop();
    // The dropped watch's reconnects are refused; the list must not change meanwhile.
    await().during(Duration.ofMillis(500)).atMost(DEADLINE)
        .until(() -> list.endpoints().size() == 1);

    server.restart();
    server.apply(slice("orders-1", 8443, ready("10.1.0.2", "b")).build());

    awaitHosts(list, "10.1.0.2");
  }

  @Test
  void watchStuckRetryingIsReplacedByAFreshListAndWatch() throws Exception {
    server.apply(slice("orders-1", 8443, ready("10.1.0.1", "a")).build());
    // The first watch is refused with 503: fabric8 falls back to plain HTTP watches, which this
    // server answers 400 even once watches are allowed again, and retries them without end.
    server.refuseWatches(true);
    KubernetesServerList list = follow(EmptyAnswerPolicy.KEEP_LAST_NON_EMPTY);
    await().atMost(DEADLINE).until(() -> server.refusedWatches() >= 2);
    server.refuseWatches(false);

    int requestsBefore = server.requests().size();
    server.apply(slice("orders-1", 8443, ready("10.1.0.2", "b")).build());

    awaitHosts(list, "10.1.0.2");
    assertThat(list.status().failures()).as("the watch being down counted as a failure")
        .isPositive();
    assertThat(list.status().consecutiveFailures()).isZero();
    List<String> after = server.requests().subList(requestsBefore, server.requests().size());
    assertThat(after).as("listed again").anyMatch(FakeApiServer::isSourceList);
  }

  @Test
  void droppedWatchIsWatchedAgainAndChangesAfterItArrive() throws Exception {
    server.apply(slice("orders-1", 8443, ready("10.1.0.1", "a")).build());
    KubernetesServerList list = follow(EmptyAnswerPolicy.KEEP_LAST_NON_EMPTY);
    server.awaitOpenWatch();
    int requestsBefore = server.requests().size();

    server.dropWatches();
    await().atMost(DEADLINE).until(() -> server.requests().subList(requestsBefore,
        server.requests().size()).stream().anyMatch(r -> r.contains("watch=true")));
    server.apply(slice("orders-1", 8443, ready("10.1.0.2", "b")).build());

    awaitHosts(list, "10.1.0.2");
    List<String> after = server.requests().subList(requestsBefore, server.requests().size());
    // fabric8 8.0 answers a watch the server ends by watching again, and may list first.
    assertThat(after).as("watched again").anyMatch(r -> r.contains("watch=true"));
  }

  @Test
  void watchAnsweredGoneListsAgainAndFollowsTheNewState() throws Exception {
    server.apply(slice("orders-1", 8443, ready("10.1.0.1", "a")).build());
    KubernetesServerList list = follow(EmptyAnswerPolicy.KEEP_LAST_NON_EMPTY);
    server.awaitOpenWatch();
    server.answerGoneToNextWatches(1);
    int requestsBefore = server.requests().size();

    // The dropped watch is resumed from its resourceVersion, which the server now calls too old.
    server.dropWatches();
    await().atMost(DEADLINE).until(() -> server.goneWatchesServed() == 1);
    server.apply(slice("orders-1", 8443, ready("10.1.0.3", "c")).build());

    awaitHosts(list, "10.1.0.3");
    List<String> after = server.requests().subList(requestsBefore, server.requests().size());
    assertThat(after).as("a list after the 410").anyMatch(FakeApiServer::isSourceList);
  }
}
