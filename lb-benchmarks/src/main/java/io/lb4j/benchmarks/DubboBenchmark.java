package io.lb4j.benchmarks;

import io.lb4j.core.Endpoint;
import java.util.ArrayList;
import java.util.List;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.rpc.Invocation;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.Result;
import org.apache.dubbo.rpc.RpcInvocation;
import org.apache.dubbo.rpc.cluster.LoadBalance;
import org.apache.dubbo.rpc.cluster.loadbalance.ConsistentHashLoadBalance;
import org.apache.dubbo.rpc.cluster.loadbalance.LeastActiveLoadBalance;
import org.apache.dubbo.rpc.cluster.loadbalance.RandomLoadBalance;
import org.apache.dubbo.rpc.cluster.loadbalance.RoundRobinLoadBalance;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Peer: Apache Dubbo's cluster load balancers, called as Dubbo's cluster invoker calls them,
 * {@code select(invokers, url, invocation)}, over invokers for the same fleet and weights as
 * {@link SelectorBenchmark}. Invokers are a small real class, not a dynamic proxy: Dubbo hashes the
 * invoker list on every pick, and a proxy would make that artificially slow. The consistent-hash
 * balancer hashes the invocation's first argument, set to a new key per pick. Least-active sees no
 * call in flight (nothing is invoked), like lb4j's load-aware selectors in the selector benchmark.
 */
// Dubbo otherwise prints a logger-discovery banner into the JMH output.
@Fork(value = 2, jvmArgsAppend = "-Ddubbo.application.logger=slf4j")
public class DubboBenchmark extends FleetBenchmark {

  @Param({"round-robin", "random", "least-active", "consistent-hash"})
  public String algorithm;

  private List<Invoker<Echo>> invokers;
  private URL consumerUrl;
  private LoadBalance balance;

  /** The service the invokers stand for: its name and method end up in Dubbo's lookup keys. */
  public interface Echo {
    String echo(String key);
  }

  @Setup
  public void buildInvokers() {
    invokers = invokers(BenchEndpoints.fleet(n));
    consumerUrl = URL.valueOf("consumer://127.0.0.1/" + Echo.class.getName());
    balance = create(algorithm);
  }

  /** Dubbo's balancer of kind {@code name}. */
  static LoadBalance create(String name) {
    switch (name) {
      case "round-robin":
        return new RoundRobinLoadBalance();
      case "random":
        return new RandomLoadBalance();
      case "least-active":
        return new LeastActiveLoadBalance();
      case "consistent-hash":
        return new ConsistentHashLoadBalance();
      default:
        throw new IllegalArgumentException("unknown Dubbo load balance '" + name + "'");
    }
  }

  /** One invoker per endpoint, its weight in the URL where Dubbo reads it. */
  static List<Invoker<Echo>> invokers(List<Endpoint> fleet) {
    List<Invoker<Echo>> invokers = new ArrayList<>(fleet.size());
    for (Endpoint endpoint : fleet) {
      invokers.add(new EndpointInvoker(URL.valueOf("dubbo://" + endpoint.address() + "/"
          + Echo.class.getName() + "?weight=" + endpoint.weight())));
    }
    return List.copyOf(invokers);
  }

  /** One caller's invocation of {@code echo(key)}, reused with a new key per pick. */
  @State(Scope.Thread)
  public static class DubboCaller {
    final Object[] arguments = new Object[1];
    final RpcInvocation invocation = new RpcInvocation("echo", Echo.class.getName(),
        Echo.class.getName(), new Class<?>[] {String.class}, arguments);
  }

  @Benchmark
  @Threads(1)
  public Invoker<Echo> pick(CallerState caller, DubboCaller dubbo) {
    return pickOnce(caller, dubbo);
  }

  @Benchmark
  @Threads(2)
  public Invoker<Echo> pick2Threads(CallerState caller, DubboCaller dubbo) {
    return pickOnce(caller, dubbo);
  }

  private Invoker<Echo> pickOnce(CallerState caller, DubboCaller dubbo) {
    dubbo.arguments[0] = caller.nextKey();
    return balance.select(invokers, consumerUrl, dubbo.invocation);
  }

  /** An invoker that is only ever selected, never invoked. Identity equality, as Dubbo's own. */
  static final class EndpointInvoker implements Invoker<Echo> {
    private final URL url;

    EndpointInvoker(URL url) {
      this.url = url;
    }

    @Override
    public Class<Echo> getInterface() {
      return Echo.class;
    }

    @Override
    public Result invoke(Invocation invocation) {
      throw new UnsupportedOperationException("benchmark invokers are selected, never invoked");
    }

    @Override
    public URL getUrl() {
      return url;
    }

    @Override
    public boolean isAvailable() {
      return true;
    }

    @Override
    public void destroy() {}
  }
}
