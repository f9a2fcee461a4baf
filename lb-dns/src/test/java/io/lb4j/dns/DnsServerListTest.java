package io.lb4j.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.RandomSource;
import io.lb4j.core.discovery.DiscoveryOptions;
import io.lb4j.core.discovery.DiscoveryServerList;
import io.lb4j.dns.TestDnsServer.Mode;
import io.lb4j.testkit.DiscoverySourceContract;
import io.lb4j.testkit.ManualScheduler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;

/** DNS-specific behaviour, against a real DNS server over UDP (and TCP) on loopback. */
class DnsServerListTest {
  private static final Name HOST = Name.fromConstantString("orders.test.");
  private static final Name SERVICE = Name.fromConstantString("_http._tcp.orders.test.");
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private TestDnsServer server;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    if (server != null) {
      server.close();
    }
  }

  private DiscoveryOptions virtualTime() {
    return DiscoveryOptions.builder().scheduler(scheduler).clock(scheduler.clock())
        .random(RandomSource.seeded(3)).initialWait(Duration.ofHours(1)).build();
  }

  private <T extends AutoCloseable> T closing(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  private DnsServerList.Builder addresses(boolean tcp) throws Exception {
    server = TestDnsServer.start(tcp);
    return DnsServerList.addresses(HOST.toString(), 8080).servers(server.address())
        .options(virtualTime());
  }

  private DnsServerList.Builder srv() throws Exception {
    server = TestDnsServer.start(false);
    return DnsServerList.srv(SERVICE.toString()).servers(server.address()).options(virtualTime());
  }

  private void awaitAnswer(DiscoveryServerList source) {
    DiscoverySourceContract.awaitAnswer(scheduler, source);
  }

  private void awaitFailure(DiscoveryServerList source) {
    DiscoverySourceContract.awaitFailure(scheduler, source);
  }

  /** An IPv4 address list over a fresh server holding 10.0.0.1, after its first answer. */
  private DnsServerList readyWithOneAddress(Duration queryTimeout) throws Exception {
    DnsServerList.Builder builder = addresses(false);
    server.set(HOST, List.of(a(HOST, 30, "10.0.0.1")));
    DnsServerList list = closing(builder.ipv6(false).queryTimeout(queryTimeout).build());
    awaitAnswer(list);
    return list;
  }

  private static ARecord a(Name name, long ttl, String ip) throws Exception {
    return new ARecord(name, DClass.IN, ttl, InetAddress.getByName(ip));
  }

  private static SRVRecord srv(int priority, int weight, int port, String target) {
    return new SRVRecord(SERVICE, DClass.IN, 30, priority, weight, port,
        Name.fromConstantString(target));
  }

  /** The library's defaults (shared scheduler, real time), with room for a loaded test machine. */
  private static DiscoveryOptions defaultsWithPatientStart() {
    return DiscoveryOptions.defaults().toBuilder().initialWait(DEADLINE).build();
  }

  @Test
  void addressLookupPublishesEveryAAndAaaaAddressOnThePortSorted() throws Exception {
    DnsServerList.Builder builder = addresses(false);
    server.set(HOST, List.of(a(HOST, 30, "10.0.0.2"), a(HOST, 30, "10.0.0.1"),
        new AAAARecord(HOST, DClass.IN, 30, InetAddress.getByName("fd00::1"))));
    DnsServerList list = closing(builder.build());

    awaitAnswer(list);

    assertThat(list.endpoints()).containsExactly(Endpoint.of("10.0.0.1", 8080),
        Endpoint.of("10.0.0.2", 8080), Endpoint.of("fd00:0:0:0:0:0:0:1", 8080));
    assertThat(list.name()).isEqualTo("dns A/AAAA orders.test. port 8080");
  }

  @Test
  void requeriesWhenTheSmallestTtlExpiresClampedToTheBounds() throws Exception {
    DnsServerList.Builder builder = addresses(false);
    server.set(HOST, List.of(a(HOST, 20, "10.0.0.1"), a(HOST, 7, "10.0.0.2")));
    DnsServerList list = closing(builder.ipv6(false)
        .ttlBounds(Duration.ofSeconds(2), Duration.ofSeconds(60)).build());

    awaitAnswer(list);
    assertThat(scheduler.nextDelay()).contains(Duration.ofSeconds(7));

    server.set(HOST, List.of(a(HOST, 0, "10.0.0.3")));
    awaitAnswer(list);
    assertThat(list.endpoints()).containsExactly(Endpoint.of("10.0.0.3", 8080));
    assertThat(scheduler.nextDelay()).contains(Duration.ofSeconds(2));

    server.set(HOST, List.of(a(HOST, 86_400, "10.0.0.3")));
    awaitAnswer(list);
    assertThat(scheduler.nextDelay()).contains(Duration.ofSeconds(60));
  }

  @Test
  void srvUsesOnlyTheLowestPrioritySetMapsWeightZeroToOneAndIgnoresDotTargets() throws Exception {
    DnsServerList.Builder builder = srv();
    server.set(SERVICE, List.of(srv(10, 0, 8080, "a.orders.test."),
        srv(10, 5, 8081, "b.orders.test."), srv(20, 100, 8082, "backup.orders.test."),
        srv(5, 50, 8083, ".")));
    DnsServerList list = closing(builder.build());

    awaitAnswer(list);

    assertThat(list.endpoints()).containsExactly(
        Endpoint.builder("a.orders.test", 8080).weight(1)
            .metadata(DnsServerList.TARGET_METADATA, "a.orders.test").build(),
        Endpoint.builder("b.orders.test", 8081).weight(5)
            .metadata(DnsServerList.TARGET_METADATA, "b.orders.test").build());
  }

  @Test
  void srvWeightsAboveTheMaximumScaleDownInProportion() throws Exception {
    DnsServerList.Builder builder = srv();
    server.set(SERVICE, List.of(srv(1, 65_535, 8080, "a.orders.test."),
        srv(1, 6_553, 8081, "b.orders.test."), srv(1, 1, 8082, "c.orders.test.")));
    DnsServerList list = closing(builder.build());

    awaitAnswer(list);

    assertThat(list.endpoints()).extracting(Endpoint::weight)
        .containsExactly(Endpoint.MAX_WEIGHT, 1_000, 1);
  }

  @Test
  void nxdomainIsAnEmptyAnswerRefreshedAtTheNegativeTtl() throws Exception {
    DnsServerList list = closing(srv().build());

    awaitAnswer(list);

    assertThat(list.isReady()).isTrue();
    assertThat(list.endpoints()).isEmpty();
    assertThat(list.status().consecutiveFailures()).isZero();
    assertThat(scheduler.nextDelay()).contains(Duration.ofSeconds(TestDnsServer.NEGATIVE_TTL));
  }

  @Test
  void unansweredQueryTimesOutAndKeepsTheList() throws Exception {
    DnsServerList list = readyWithOneAddress(Duration.ofMillis(300));

    server.mode(Mode.SILENT);
    awaitFailure(list);

    assertThat(list.status().lastError()).get().isInstanceOf(SocketTimeoutException.class);
    assertThat(list.endpoints()).containsExactly(Endpoint.of("10.0.0.1", 8080));
  }

  @Test
  void stoppedServerKeepsTheListAndTheSameServerRestartedIsFollowedAgain() throws Exception {
    DnsServerList list = readyWithOneAddress(Duration.ofMillis(500));
    InetSocketAddress address = server.address();

    server.close();
    awaitFailure(list);
    awaitFailure(list);
    assertThat(list.endpoints()).containsExactly(Endpoint.of("10.0.0.1", 8080));

    TestDnsServer stopped = server;
    server = TestDnsServer.restart(address, stopped);
    server.set(HOST, List.of(a(HOST, 30, "10.0.0.2")));
    awaitAnswer(list);
    assertThat(list.endpoints()).containsExactly(Endpoint.of("10.0.0.2", 8080));
    assertThat(list.status().consecutiveFailures()).isZero();
  }

  @Test
  void truncatedUdpAnswerIsRetriedOverTcp() throws Exception {
    DnsServerList.Builder builder = addresses(true);
    server.set(HOST, List.of(a(HOST, 30, "10.0.0.1")));
    server.mode(Mode.TRUNCATE_UDP);
    DnsServerList list = closing(builder.ipv6(false).build());

    awaitAnswer(list);

    assertThat(list.endpoints()).containsExactly(Endpoint.of("10.0.0.1", 8080));
    assertThat(server.tcpQueries()).isEqualTo(1);
  }

  @Test
  void truncatedAnswerWithoutTcpFailsTheQueryInsteadOfPublishingTheEmptyTruncatedAnswer()
      throws Exception {
    DnsServerList.Builder builder = addresses(false);
    server.set(HOST, List.of(a(HOST, 30, "10.0.0.1")));
    server.mode(Mode.TRUNCATE_UDP);
    DnsServerList list = closing(builder.ipv6(false).queryTimeout(Duration.ofSeconds(2)).build());

    awaitFailure(list);

    assertThat(list.isReady()).isFalse();
    assertThat(list.status().lastError()).get().asString()
        .contains("orders.test. A was truncated over UDP and the retry over TCP to [",
            "failed: java.net.ConnectException");
  }

  @Test
  void runningLoadBalancerWithDefaultsFollowsChangingRecordsOnTheDiscoveryThread()
      throws Exception {
    server = TestDnsServer.start(false);
    server.set(HOST, List.of(a(HOST, 1, "10.0.0.1"), a(HOST, 1, "10.0.0.2")));
    DnsServerList list = closing(DnsServerList.addresses(HOST.toString(), 8080)
        .servers(server.address()).ipv6(false).options(defaultsWithPatientStart()).build());
    LoadBalancer balancer = closing(LoadBalancer.builder(list).name("orders").build());
    Set<String> publishingThreads = ConcurrentHashMap.newKeySet();
    balancer.subscribeMembership(endpoints -> publishingThreads.add(Thread.currentThread().getName()));

    list.whenReady().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(balancer.endpoints()).hasSize(2);

    server.set(HOST, List.of(a(HOST, 1, "10.0.0.2"), a(HOST, 1, "10.0.0.3")));
    await().atMost(DEADLINE).until(() -> balancer.endpoints()
        .equals(List.of(Endpoint.of("10.0.0.2", 8080), Endpoint.of("10.0.0.3", 8080))));
    for (int i = 0; i < 20; i++) {
      var pick = balancer.pick();
      assertThat(pick.endpoint().host()).isNotEqualTo("10.0.0.1");
      pick.complete(true, 1_000_000);
    }
    assertThat(publishingThreads).contains("lb4j-discovery");
  }

  @Test
  void badNamesAndBoundsFailAtBuildNamingTheValue() {
    assertThatThrownBy(() -> DnsServerList.srv("bad..name").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name is not a valid DNS name: 'bad..name'");
    assertThatThrownBy(() -> DnsServerList.addresses("orders.test", 0))
        .hasMessage("port must be in [1, 65535], was 0");
    assertThatThrownBy(() -> DnsServerList.srv("x").ttlBounds(Duration.ofSeconds(5),
        Duration.ofSeconds(1))).hasMessage("maxTtl must be >= minTtl PT5S, was PT1S");
    assertThatThrownBy(() -> DnsServerList.addresses("orders.test", 80).ipv4(false).ipv6(false)
        .build()).hasMessage("ipv4 and ipv6 are both off for orders.test");
  }
}
