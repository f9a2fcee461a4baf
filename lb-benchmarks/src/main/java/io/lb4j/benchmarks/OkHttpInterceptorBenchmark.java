package io.lb4j.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.lb4j.core.Algorithms;
import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.ServerList;
import io.lb4j.okhttp.CallTrace;
import io.lb4j.okhttp.LoadBalancedOkHttp;
import io.lb4j.okhttp.LoadBalancingInterceptor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the interceptor adds to a real HTTP call: the same {@code GET /} against loopback servers,
 * sent by a plain OkHttp client straight to one server ({@code direct}), and by the same client
 * wrapped with {@link LoadBalancedOkHttp} to the logical host {@code bench}, balanced by round robin
 * over three servers ({@code balanced}). Both keep connections alive in one shared pool, so the
 * difference is the interceptor: URL rewrite, pick, circuit breaker, outcome recording. The
 * {@code balancedTraced} and {@code balancedExplained} variants route as {@code balanced} does with
 * {@link CallTrace.Detail#ATTEMPTS} and {@link CallTrace.Detail#ATTEMPTS_AND_EXPLANATIONS} on: the
 * cost of a call's trace.
 *
 * <p>The servers are the JDK's own {@code com.sun.net.httpserver.HttpServer} answering a two-byte
 * body; unlike a mock server they record nothing, so memory stays flat over millions of calls.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
public class OkHttpInterceptorBenchmark {
  private static final byte[] BODY = "ok".getBytes(StandardCharsets.US_ASCII);
  private static final int SERVERS = 3;

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
    // meets the client's delayed ACK and every call waits ~40 ms. Read once, at the first server.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final List<HttpServer> servers = new ArrayList<>();
  private ExecutorService serverThreads;
  LoadBalancer balancer;
  LoadBalancer single;
  private OkHttpClient plain;
  private OkHttpClient balanced;
  private final List<LoadBalancingInterceptor> tracing = new ArrayList<>();
  private OkHttpClient traced;
  private OkHttpClient explained;
  private Request directRequest;
  private Request balancedRequest;
  private Request singleRequest;

  @Setup
  public void start() throws IOException {
    serverThreads = Executors.newFixedThreadPool(2);
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < SERVERS; i++) {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> {
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(200, BODY.length);
        try (OutputStream body = exchange.getResponseBody()) {
          body.write(BODY);
        }
      });
      server.setExecutor(serverThreads);
      server.start();
      servers.add(server);
      endpoints.add(Endpoint.of("127.0.0.1", server.getAddress().getPort()));
    }
    balancer = LoadBalancer.builder(ServerList.of(endpoints))
        .name("bench")
        .algorithm(Algorithms.roundRobin())
        .build();
    // The same server and connection as direct: the difference is only the interceptor's work.
    single = LoadBalancer.builder(ServerList.of(endpoints.get(0)))
        .name("bench-single")
        .algorithm(Algorithms.roundRobin())
        .build();
    plain = new OkHttpClient();
    balanced = LoadBalancedOkHttp.wrap(plain, Map.of("bench", balancer, "bench-single", single));
    traced = LoadBalancedOkHttp.wrap(plain, tracing(CallTrace.Detail.ATTEMPTS));
    explained = LoadBalancedOkHttp.wrap(plain, tracing(CallTrace.Detail.ATTEMPTS_AND_EXPLANATIONS));
    directRequest = new Request.Builder().url("http://" + endpoints.get(0).address() + "/").build();
    balancedRequest = new Request.Builder().url("http://bench/").build();
    singleRequest = new Request.Builder().url("http://bench-single/").build();
  }

  private LoadBalancingInterceptor tracing(CallTrace.Detail detail) {
    LoadBalancingInterceptor interceptor =
        LoadBalancingInterceptor.builder().service("bench", balancer).callTrace(detail).build();
    tracing.add(interceptor);
    return interceptor;
  }

  @TearDown
  public void stop() {
    tracing.forEach(LoadBalancingInterceptor::close);
    balancer.close();
    single.close();
    plain.dispatcher().executorService().shutdown();
    plain.connectionPool().evictAll();
    for (HttpServer server : servers) {
      server.stop(0);
    }
    serverThreads.shutdownNow();
  }

  @Benchmark
  public int direct() throws IOException {
    return call(plain, directRequest);
  }

  @Benchmark
  public int balanced() throws IOException {
    return call(balanced, balancedRequest);
  }

  /** Through the interceptor to a one-endpoint service on direct's server: the interceptor's cost alone. */
  @Benchmark
  public int balancedSameServer() throws IOException {
    return call(balanced, singleRequest);
  }

  @Benchmark
  public int balancedTraced() throws IOException {
    return call(traced, balancedRequest);
  }

  @Benchmark
  public int balancedExplained() throws IOException {
    return call(explained, balancedRequest);
  }

  static int call(OkHttpClient client, Request request) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      if (response.code() != 200) {
        throw new IOException("unexpected status " + response.code() + " from " + request.url());
      }
      return response.body().bytes().length;
    }
  }
}
