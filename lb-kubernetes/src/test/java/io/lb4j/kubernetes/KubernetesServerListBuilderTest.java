package io.lb4j.kubernetes;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import org.junit.jupiter.api.Test;

class KubernetesServerListBuilderTest {

  @Test
  void namesThatAreNotDnsLabelsAreRefusedNamingThem() {
    assertThatThrownBy(() -> KubernetesServerList.builder("Orders"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("service must be a DNS label "
            + "(lower-case letters, digits and '-', at most 63), was 'Orders'");
    assertThatThrownBy(() -> KubernetesServerList.builder("orders").namespace("-shop"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace")
        .hasMessageContaining("'-shop'");
    assertThatThrownBy(() -> KubernetesServerList.builder("orders").portName(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("portName must not be blank, was ' '");
    assertThatThrownBy(() -> KubernetesServerList.builder(null))
        .isInstanceOf(NullPointerException.class).hasMessage("service");
  }

  @Test
  void clientAndConfigExcludeEachOther() {
    KubernetesServerList.Builder builder = KubernetesServerList.builder("orders")
        .config(Config.empty());

    assertThatThrownBy(() -> builder.client(new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(Config.empty()).build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("config was already set; set either client or config");
  }
}
