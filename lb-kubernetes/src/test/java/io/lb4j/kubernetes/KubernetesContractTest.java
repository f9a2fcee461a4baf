package io.lb4j.kubernetes;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.lb4j.core.discovery.DiscoveryOptions;
import io.lb4j.core.discovery.DiscoveryServerList;
import io.lb4j.testkit.DiscoverySourceContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The discovery contract against fabric8's Kubernetes API server in CRUD mode. The registry holds
 * one EndpointSlice with every instance (one update, one watch event); its port is the slice's, so
 * every instance is expected on {@link #PORT}. Changes arrive pushed (watch events), but the source
 * lists and checks its watch on the options' scheduler, so the contract steps it as a polling
 * source and checks its backoff. A breakdown takes the server down (the watch drops, every
 * request 503) and waits until each source's watch is closed, so the next step finds it down.
 */
class KubernetesContractTest extends DiscoverySourceContract {
  private static final int PORT = 8443;
  private static final String SLICE = "orders-abcde";

  @Override
  protected DiscoveryOptions options() {
    // The informer retries in real time from initialBackoff; keep the tests short.
    return super.options().toBuilder()
        .backoff(Duration.ofMillis(300), Duration.ofSeconds(2)).build();
  }

  @Override
  protected Registry startRegistry() {
    return new SliceRegistry(FakeApiServer.start());
  }

  @Override
  protected DiscoveryServerList newSource(Registry registry, DiscoveryOptions options) {
    SliceRegistry slices = (SliceRegistry) registry;
    KubernetesServerList source = KubernetesServerList.builder(FakeApiServer.SERVICE)
        .namespace(FakeApiServer.NAMESPACE).portName("http").config(slices.server.config())
        .options(options).build();
    slices.sources.add(source);
    return source;
  }

  @Override
  protected io.lb4j.core.Endpoint expectedEndpoint(Instance instance) {
    return io.lb4j.core.Endpoint.builder(instance.host(), PORT).zone("zone-a")
        .metadata(KubernetesServerList.NODE_METADATA, "node-" + pod(instance))
        .metadata(KubernetesServerList.POD_METADATA, pod(instance)).build();
  }

  private static String pod(Instance instance) {
    return "orders-" + instance.port();
  }

  static final class SliceRegistry implements Registry {
    final FakeApiServer server;
    final List<KubernetesServerList> sources = new CopyOnWriteArrayList<>();

    SliceRegistry(FakeApiServer server) {
      this.server = server;
    }

    @Override
    public void register(List<Instance> instances) {
      server.apply(FakeApiServer.slice(SLICE, PORT, endpoints(instances)).build());
    }

    @Override
    public void registerWithOneMalformedEntry(List<Instance> instances) {
      List<Endpoint> endpoints = new ArrayList<>(List.of(endpoints(instances)));
      endpoints.add(FakeApiServer.ready("10.0.0.999", "orders-broken"));
      server.apply(FakeApiServer.slice(SLICE, PORT, endpoints.toArray(Endpoint[]::new)).build());
    }

    private static Endpoint[] endpoints(List<Instance> instances) {
      return instances.stream().map(i -> FakeApiServer.ready(i.host(), pod(i)))
          .toArray(Endpoint[]::new);
    }

    @Override
    public void breakDown() {
      server.stop();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
          .until(() -> sources.stream().noneMatch(KubernetesServerList::isWatching));
    }

    @Override
    public void recover() {
      server.recover();
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
