package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointTest {

  @Test
  void defaultsAreHostPortIdWeightOneNoZone() {
    Endpoint endpoint = Endpoint.of("10.0.0.1", 8080);
    assertThat(endpoint.id()).isEqualTo("10.0.0.1:8080");
    assertThat(endpoint.weight()).isEqualTo(1);
    assertThat(endpoint.zone()).isEmpty();
    assertThat(endpoint.metadata()).isEmpty();
  }

  @Test
  void nullHostIsRejected() {
    assertThatThrownBy(() -> Endpoint.of(null, 80))
        .isInstanceOf(NullPointerException.class).hasMessage("host");
  }

  @Test
  void blankHostIsRejected() {
    assertThatThrownBy(() -> Endpoint.of("  ", 80))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("host must not be blank, was '  '");
  }

  @Test
  void portOutsideOneTo65535IsRejected() {
    assertThatThrownBy(() -> Endpoint.of("h", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be in [1, 65535], was 0 for host h");
    assertThatThrownBy(() -> Endpoint.of("h", 65536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be in [1, 65535], was 65536 for host h");
    assertThat(Endpoint.of("h", 1).port()).isEqualTo(1);
    assertThat(Endpoint.of("h", 65535).port()).isEqualTo(65535);
  }

  @Test
  void weightOutsideOneToMaxIsRejected() {
    assertThatThrownBy(() -> Endpoint.builder("h", 1).weight(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight must be in [1, 10000], was 0 for endpoint h:1");
    assertThatThrownBy(() -> Endpoint.builder("h", 1).weight(-3).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight must be in [1, 10000], was -3 for endpoint h:1");
    assertThatThrownBy(() -> Endpoint.builder("h", 1).weight(Endpoint.MAX_WEIGHT + 1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight must be in [1, 10000], was 10001 for endpoint h:1");
    assertThat(Endpoint.builder("h", 1).weight(Endpoint.MAX_WEIGHT).build().weight()).isEqualTo(10_000);
  }

  @Test
  void blankIdIsRejected() {
    assertThatThrownBy(() -> Endpoint.builder("h", 1).id("").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must not be blank, was '' for h:1");
  }

  @Test
  void metadataIsAnUnmodifiableCopy() {
    Endpoint endpoint = Endpoint.builder("h", 1).metadata("version", "2").build();
    assertThat(endpoint.metadata()).isEqualTo(Map.of("version", "2"));
    assertThatThrownBy(() -> endpoint.metadata().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toBuilderDerivesAChangedCopy() {
    Endpoint original = Endpoint.builder("h", 1).id("a").weight(3).zone("z1").build();
    Endpoint changed = original.toBuilder().weight(5).build();
    assertThat(changed).isEqualTo(new Endpoint("a", "h", 1, 5, "z1", Map.of()));
  }

  @Test
  void hostsThatAreNotAHostAreRejectedWithTheReason() {
    assertThatThrownBy(() -> Endpoint.of("10.0.0.1:8080", 80))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host must be a DNS name, an IPv4 address or an IPv6 literal; "
            + "'10.0.0.1:8080' must not contain a port (give it separately)");
    assertThatThrownBy(() -> Endpoint.of("http://x", 80))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'http://x' must not contain a scheme");
    assertThatThrownBy(() -> Endpoint.of("a b", 80))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a b' must not contain spaces");
    assertThatThrownBy(() -> Endpoint.of("x/path", 80))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x/path' must not contain a path");
    assertThatThrownBy(() -> Endpoint.of("10.0.0.256", 80))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'10.0.0.256' is not a valid IPv4");
    assertThatThrownBy(() -> Endpoint.of("1::2::3", 80))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'1::2::3' is not a valid IPv6");
    assertThatThrownBy(() -> Endpoint.of("[10.0.0.1]", 80))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IPv6 literal inside the brackets");
    assertThatThrownBy(() -> Endpoint.of("-a.example", 80))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("starts or ends with '-'");
    assertThatThrownBy(() -> Endpoint.of("a..example", 80))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has an empty label");
    assertThatThrownBy(() -> Endpoint.of("1.2.3.4::", 80))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid IPv6");
  }

  @Test
  void dnsNamesAndIpLiteralsAreAccepted() {
    for (String host : new String[] {"localhost", "orders.default.svc", "orders.example.", "b3",
        "_http._tcp.orders", "10.0.0.1", "0.0.0.0", "::", "::1", "fe80::1", "2001:db8::8a2e:370:7334",
        "1:2:3:4:5:6:7:8", "::ffff:10.0.0.1"}) {
      assertThat(Endpoint.of(host, 80).host()).isEqualTo(host);
    }
  }

  @Test
  void ipv6HostsAreBracketedInIdsAndAddressesAndKeptBareInHost() {
    Endpoint bare = Endpoint.of("::1", 80);
    Endpoint bracketed = Endpoint.of("[::1]", 80);
    assertThat(bare.host()).isEqualTo("::1");
    assertThat(bare.id()).isEqualTo("[::1]:80");
    assertThat(bare.address()).isEqualTo("[::1]:80");
    assertThat(bracketed).isEqualTo(bare);
    assertThat(Endpoint.builder("[fe80::1]", 8080).id("pod-a").build().host()).isEqualTo("fe80::1");
  }
}
