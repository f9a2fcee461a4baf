package io.lb4j.consul;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.lb4j.core.Endpoint;
import io.lb4j.core.discovery.DiscoveryOptions;
import io.lb4j.core.discovery.DiscoveryServerList;
import io.lb4j.testkit.DiscoverySourceContract;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** The discovery contract against a scripted Consul health endpoint on loopback (no real Consul). */
class ConsulContractTest extends DiscoverySourceContract {

  @Override
  protected Registry startRegistry() throws IOException {
    return new ConsulRegistry(FakeConsul.start());
  }

  @Override
  protected DiscoveryServerList newSource(Registry registry, DiscoveryOptions options) {
    return ConsulServerList.builder(FakeConsul.SERVICE).agent(((ConsulRegistry) registry).consul.url())
        .wait(Duration.ofSeconds(2)).options(options).build();
  }

  @Override
  protected Endpoint expectedEndpoint(Instance instance) {
    return super.expectedEndpoint(instance).toBuilder()
        .metadata("version", "2.1.0")
        .metadata(ConsulServerList.ID_METADATA, FakeConsul.serviceId(instance))
        .metadata(ConsulServerList.NODE_METADATA, FakeConsul.nodeName(instance))
        .metadata(ConsulServerList.TAGS_METADATA, "v2,primary")
        .build();
  }

  static final class ConsulRegistry implements Registry {
    final FakeConsul consul;

    ConsulRegistry(FakeConsul consul) {
      this.consul = consul;
    }

    @Override
    public void register(List<Instance> instances) {
      consul.register(instances);
    }

    @Override
    public void registerWithOneMalformedEntry(List<Instance> instances) {
      ArrayNode entries = FakeConsul.entries(instances);
      entries.add(FakeConsul.entry(new Instance("10.0.0.9", 8089, 0), false));
      consul.body(entries.toString());
    }

    @Override
    public void breakDown() {
      consul.failWith(500, "rpc error making call: No cluster leader");
    }

    @Override
    public void recover() {
      consul.failWith(0, null);
    }

    @Override
    public void close() {
      consul.close();
    }
  }
}
