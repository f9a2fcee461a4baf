package io.lb4j.okhttp;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Protocol;

/** Counts connection attempts and failures per port: how attempts reach a server that is down. */
final class ConnectCounter extends EventListener {
  private final Map<Integer, AtomicInteger> starts = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> failures = new ConcurrentHashMap<>();

  @Override
  public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
    starts.computeIfAbsent(address.getPort(), port -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public void connectFailed(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol,
      java.io.IOException ioe) {
    failures.computeIfAbsent(address.getPort(), port -> new AtomicInteger()).incrementAndGet();
  }

  int starts(int port) {
    AtomicInteger count = starts.get(port);
    return count == null ? 0 : count.get();
  }

  int failures(int port) {
    AtomicInteger count = failures.get(port);
    return count == null ? 0 : count.get();
  }

  int totalFailures() {
    int total = 0;
    for (AtomicInteger count : failures.values()) {
      total += count.get();
    }
    return total;
  }
}
