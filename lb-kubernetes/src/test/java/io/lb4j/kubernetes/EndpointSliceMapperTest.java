package io.lb4j.kubernetes;

import static io.lb4j.kubernetes.FakeApiServer.endpoint;
import static io.lb4j.kubernetes.FakeApiServer.ready;
import static io.lb4j.kubernetes.FakeApiServer.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.lb4j.core.Endpoint;
import io.lb4j.core.discovery.RegistryAnswer;
import io.lb4j.kubernetes.internal.EndpointSliceMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mapping rules, on slices built in memory. */
class EndpointSliceMapperTest {
  private final EndpointSliceMapper http = new EndpointSliceMapper("test", AddressFamily.IPV4, "http");

  private static List<String> hosts(RegistryAnswer answer) {
    return answer.endpoints().stream().map(Endpoint::address).toList();
  }

  @Test
  void terminatingServingEndpointsAreUsedOnlyWhenNoneIsReady() {
    EndpointSlice mixed = slice("s", 80, ready("10.0.0.1", "a"),
        endpoint("10.0.0.2", "b", false, true, true)).build();
    EndpointSlice allTerminating = slice("s", 80, endpoint("10.0.0.2", "b", false, true, true),
        endpoint("10.0.0.3", "c", false, false, true)).build();

    assertThat(hosts(http.map(List.of(mixed)))).containsExactly("10.0.0.1:80");
    assertThat(hosts(http.map(List.of(allTerminating)))).containsExactly("10.0.0.2:80");
  }

  @Test
  void notReadyNotTerminatingEndpointsNeverTakeTraffic() {
    EndpointSlice starting = slice("s", 80, endpoint("10.0.0.1", "a", false, false, false),
        endpoint("10.0.0.2", "b", false, true, false)).build();

    assertThat(http.map(List.of(starting)).endpoints()).isEmpty();
  }

  @Test
  void missingConditionsMeanReadyAsTheApiSpecifies() {
    EndpointSlice bare = slice("s", 80,
        new EndpointBuilder().withAddresses("10.0.0.1").build()).build();

    assertThat(hosts(http.map(List.of(bare)))).containsExactly("10.0.0.1:80");
  }

  @Test
  void everyAddressOfAnEndpointBecomesAnEndpoint() {
    EndpointSlice twoAddresses = slice("s", 80,
        new EndpointBuilder().withAddresses("10.0.0.1", "10.0.0.2").build()).build();

    assertThat(hosts(http.map(List.of(twoAddresses)))).containsExactly("10.0.0.1:80", "10.0.0.2:80");
  }

  @Test
  void sliceWithoutTheNamedPortIsSkippedWithACount() {
    EndpointSlice grpcOnly = slice("s", 80, ready("10.0.0.1", "a")).editFirstPort().withName("grpc")
        .endPort().build();

    RegistryAnswer answer = http.map(List.of(grpcOnly));

    assertThat(answer.endpoints()).isEmpty();
    assertThat(answer.skipped()).isEqualTo(1);
  }

  @Test
  void withoutAPortNameTheOnlyPortIsUsedAndSeveralPortsAreRefused() {
    EndpointSliceMapper any = new EndpointSliceMapper("test", AddressFamily.IPV4, null);
    EndpointSlice onePort = slice("s", 8080, ready("10.0.0.1", "a")).build();
    EndpointSlice twoPorts = slice("t", 8080, ready("10.0.0.2", "b")).addNewPort().withName("admin")
        .withPort(9090).endPort().build();

    assertThat(hosts(any.map(List.of(onePort)))).containsExactly("10.0.0.1:8080");
    assertThat(any.map(List.of(twoPorts)).skipped()).isEqualTo(1);
    assertThat(hosts(http.map(List.of(twoPorts)))).containsExactly("10.0.0.2:8080");
  }

  @Test
  void addressesOfTheWrongFamilyInASliceAreSkippedAndOtherFamiliesSlicesIgnored() {
    EndpointSlice v4WithJunk = slice("s", 80, ready("10.0.0.1", "a"), ready("fd00::1", "b"),
        ready("10.0.0.256", "c")).build();
    EndpointSlice v6 = slice("t", 80, ready("fd00::2", "d")).withAddressType("IPv6").build();

    RegistryAnswer v4Answer = http.map(List.of(v4WithJunk, v6));
    RegistryAnswer v6Answer = new EndpointSliceMapper("test", AddressFamily.IPV6, "http")
        .map(List.of(v4WithJunk, v6));

    assertThat(hosts(v4Answer)).containsExactly("10.0.0.1:80");
    assertThat(v4Answer.skipped()).isEqualTo(2);
    assertThat(v6Answer.endpoints()).extracting(Endpoint::host).containsExactly("fd00::2");
  }
}
