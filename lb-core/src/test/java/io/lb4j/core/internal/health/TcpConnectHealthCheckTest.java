package io.lb4j.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.lb4j.core.Endpoint;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The TCP check never resolves a host name on the thread that starts it (the shared scheduler). */
class TcpConnectHealthCheckTest {

  @Test
  void aHostNameIsResolvedOffTheCallingThreadAndAStuckLookupDoesNotBlockIt() throws Exception {
    ExecutorService resolverThreads = Executors.newSingleThreadExecutor();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CountDownLatch dnsAnswers = new CountDownLatch(1);
      AtomicReference<Thread> resolvedOn = new AtomicReference<>();
      TcpConnectHealthCheck check = new TcpConnectHealthCheck(resolverThreads, host -> {
        resolvedOn.set(Thread.currentThread());
        try {
          dnsAnswers.await();
        } catch (InterruptedException e) {
          throw new java.net.UnknownHostException("interrupted: " + host);
        }
        assertThat(host).isEqualTo("orders.internal");
        return InetAddress.getLoopbackAddress();
      });

      // Were the lookup on this thread, check() would wait for the latch below and never return.
      CompletableFuture<Boolean> probe =
          check.check(Endpoint.of("orders.internal", server.getLocalPort())).toCompletableFuture();

      assertThat(probe).isNotDone();
      dnsAnswers.countDown();
      assertThat(probe.get(5, TimeUnit.SECONDS)).isTrue();
      assertThat(resolvedOn.get()).isNotNull().isNotSameAs(Thread.currentThread());
    } finally {
      resolverThreads.shutdownNow();
    }
  }

  @Test
  void anIpLiteralIsConnectedToWithoutALookup() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      TcpConnectHealthCheck check = new TcpConnectHealthCheck(
          command -> {
            throw new AssertionError("no lookup expected");
          },
          host -> {
            throw new AssertionError("no lookup expected for " + host);
          });
      assertThat(check.check(Endpoint.of("127.0.0.1", server.getLocalPort()))
          .toCompletableFuture().get(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void recognisesIpLiteralsAndOnlyThem() {
    assertThat(TcpConnectHealthCheck.isIpLiteral("10.0.0.7")).isTrue();
    assertThat(TcpConnectHealthCheck.isIpLiteral("::1")).isTrue();
    assertThat(TcpConnectHealthCheck.isIpLiteral("[fe80::1]")).isTrue();
    assertThat(TcpConnectHealthCheck.isIpLiteral("orders.internal")).isFalse();
    assertThat(TcpConnectHealthCheck.isIpLiteral("10.0.0.7.nip.io")).isFalse();
    assertThat(TcpConnectHealthCheck.isIpLiteral("localhost")).isFalse();
  }
}
