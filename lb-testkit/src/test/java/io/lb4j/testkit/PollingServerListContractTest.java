package io.lb4j.testkit;

import io.lb4j.core.Endpoint;
import io.lb4j.core.discovery.DiscoveryOptions;
import io.lb4j.core.discovery.DiscoveryServerList;
import io.lb4j.core.discovery.PollingServerList;
import io.lb4j.core.discovery.RegistryAnswer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * lb-core's {@link PollingServerList} against an in-memory registry that answers on its own
 * thread, as a real client would: the contract holds for the base before any real registry is
 * involved. (It lives here, not in lb-core, because lb-core cannot depend on this module.)
 */
class PollingServerListContractTest extends DiscoverySourceContract {

  @Override
  protected Registry startRegistry() {
    return new InMemoryRegistry();
  }

  @Override
  protected DiscoveryServerList newSource(Registry registry, DiscoveryOptions options) {
    return InMemorySource.started((InMemoryRegistry) registry, options);
  }

  static final class InMemoryRegistry implements Registry {
    private final ExecutorService ioThread = Executors.newSingleThreadExecutor();
    private volatile List<Instance> instances = List.of();
    private volatile boolean broken;

    @Override
    public void register(List<Instance> instances) {
      this.instances = List.copyOf(instances);
    }

    @Override
    public void registerWithOneMalformedEntry(List<Instance> instances) {
      List<Instance> withBad = new java.util.ArrayList<>(instances);
      withBad.add(1, new Instance("10.0.0.9", 0, 1));
      this.instances = List.copyOf(withBad);
    }

    @Override
    public void breakDown() {
      broken = true;
    }

    @Override
    public void recover() {
      broken = false;
    }

    CompletionStage<List<Instance>> read() {
      return CompletableFuture.supplyAsync(() -> {
        if (broken) {
          throw new IllegalStateException(new IOException("registry unreachable"));
        }
        return instances;
      }, ioThread);
    }

    @Override
    public void close() {
      ioThread.shutdownNow();
    }
  }

  static final class InMemorySource extends PollingServerList {
    private final InMemoryRegistry registry;

    InMemorySource(InMemoryRegistry registry, DiscoveryOptions options) {
      super("in-memory orders", options);
      this.registry = registry;
    }

    /** Built and started here: start() is protected, for a source's own factory. */
    static InMemorySource started(InMemoryRegistry registry, DiscoveryOptions options) {
      InMemorySource source = new InMemorySource(registry, options);
      source.start();
      return source;
    }

    @Override
    protected CompletionStage<RegistryAnswer> query() {
      return registry.read().thenApply(instances -> {
        RegistryAnswer.Builder answer = RegistryAnswer.builder(name());
        for (Instance instance : instances) {
          answer.add(instance.toString(), () -> Endpoint.builder(instance.host(), instance.port())
              .weight(instance.weight()).build());
        }
        return answer.build();
      });
    }
  }
}
