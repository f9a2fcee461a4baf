package io.lb4j.kubernetes.example;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.lb4j.core.LoadBalancer;
import io.lb4j.kubernetes.KubernetesServerList;
import io.lb4j.okhttp.EndpointTls;
import io.lb4j.okhttp.LoadBalancedOkHttp;
import io.lb4j.okhttp.LoadBalancingInterceptor;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.awaitility.Awaitility;

/**
 * A rolling update of a Kubernetes Service under traffic. fabric8's Kubernetes API server runs here
 * in CRUD mode (a real HTTP API with watches, on loopback) and holds Service {@code orders} in
 * namespace {@code shop}: three pods, each an HTTPS server on loopback whose certificate names only
 * {@code orders.shop.svc}, each in its own EndpointSlice (the pods listen on different ports, as
 * pods with a named target port may). A client thread calls {@code https://orders/} through OkHttp
 * wrapped by lb4j ({@link KubernetesServerList} + {@link EndpointTls}) while the rollout replaces
 * each old pod the way the Deployment controller and kubelet do: a new pod starts (not ready), turns
 * ready, the old one turns terminating, and exits once the client no longer lists it. It prints who
 * served what and exits with status 1 if a single call failed.
 *
 * <p>Run it: {@code mvn -q -B -pl lb-kubernetes -am test-compile exec:java}. It lives in
 * lb-kubernetes' test sources, not in lb-examples: it needs the mock API server, and lb-kubernetes'
 * tests need lb-core's test-jar, which a {@code compile}-phase reactor build (the README's demo
 * command on lb-examples) cannot resolve.
 */
public final class KubernetesRolloutExample {
  static final String NAMESPACE = "shop";
  static final String SERVICE = "orders";
  static final String TLS_NAME = "orders.shop.svc";
  private static final Duration STEP_DEADLINE = Duration.ofSeconds(30);

  private KubernetesRolloutExample() {}

  /** What happened: calls served per pod, in the order of the phases, and the failed calls. */
  record Outcome(Map<String, Integer> servedBefore, Map<String, Integer> servedDuring,
      Map<String, Integer> servedAfter, int failed) {}

  public static void main(String[] args) throws Exception {
    Outcome outcome = run(System.out);
    System.exit(outcome.failed() == 0 ? 0 : 1);
  }

  static Outcome run(PrintStream out) throws Exception {
    HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0)
        .commonName("example cluster CA").build();
    HandshakeCertificates podCertificates = new HandshakeCertificates.Builder()
        .heldCertificate(new HeldCertificate.Builder().signedBy(ca).commonName(TLS_NAME)
            .addSubjectAlternativeName(TLS_NAME).build())
        .build();
    HandshakeCertificates trust = new HandshakeCertificates.Builder()
        .addTrustedCertificate(ca.certificate()).build();

    KubernetesMockServer apiServer = new KubernetesMockServer(new Context(),
        new io.fabric8.mockwebserver.MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(),
        false);
    apiServer.start(InetAddress.getLoopbackAddress(), 0);
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
            + apiServer.getPort())
        .withNamespace(NAMESPACE)
        // This API server speaks plain HTTP; the JDK client's h2c upgrade would break its watches.
        .withHttp2Disable(true).build();
    Map<String, MockWebServer> pods = new ConcurrentHashMap<>();
    try (KubernetesClient admin = new KubernetesClientBuilder().withConfig(config).build()) {
      for (String pod : List.of("orders-v1-a", "orders-v1-b", "orders-v1-c")) {
        pods.put(pod, startPod(pod, podCertificates));
        admin.resource(slice(pod, pods.get(pod).getPort(), true, false)).create();
      }
      try (KubernetesServerList endpoints = KubernetesServerList.builder(SERVICE)
              .namespace(NAMESPACE).portName("https").config(config).build();
          LoadBalancer balancer = LoadBalancer.builder(endpoints).name(SERVICE).build()) {
        endpoints.whenReady().get(STEP_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        OkHttpClient client = client(balancer, trust);
        out.println("Service " + NAMESPACE + "/" + SERVICE + ", certificate for " + TLS_NAME
            + " only; lb4j follows " + endpoints.endpoints().size() + " pods:");
        endpoints.endpoints().forEach(e -> out.println("  " + e.metadata().get(
            KubernetesServerList.POD_METADATA) + " at " + e.address()));

        Traffic traffic = new Traffic(client);
        Thread caller = new Thread(traffic, "orders-caller");
        caller.start();
        traffic.awaitCalls(30);
        Map<String, Integer> before = traffic.phase();
        out.println();
        out.println("rolling update v1 -> v2, one pod at a time:");
        for (String suffix : List.of("a", "b", "c")) {
          String oldPod = "orders-v1-" + suffix;
          String newPod = "orders-v2-" + suffix;
          pods.put(newPod, startPod(newPod, podCertificates));
          admin.resource(slice(newPod, pods.get(newPod).getPort(), false, false)).create();
          out.println("  " + newPod + " started (not ready)");
          admin.resource(slice(newPod, pods.get(newPod).getPort(), true, false)).update();
          awaitListed(balancer, newPod, true);
          out.println("  " + newPod + " ready, in rotation");
          admin.resource(slice(oldPod, pods.get(oldPod).getPort(), false, true)).update();
          awaitListed(balancer, oldPod, false);
          out.println("  " + oldPod + " terminating, out of rotation");
          traffic.awaitCalls(10);
          pods.remove(oldPod).close();
          admin.resource(slice(oldPod, 0, false, true)).delete();
          out.println("  " + oldPod + " exited");
        }
        Map<String, Integer> during = traffic.phase();
        traffic.awaitCalls(30);
        Map<String, Integer> after = traffic.phase();
        traffic.stop();
        caller.join();

        out.println();
        print(out, "before the update", before);
        print(out, "during the update", during);
        print(out, "after the update", after);
        out.printf(Locale.ROOT, "%d calls, %d failed%n", traffic.calls(), traffic.failed());
        traffic.firstFailure().ifPresent(e -> out.println("first failure: " + e));
        return new Outcome(before, during, after, traffic.failed());
      }
    } finally {
      for (MockWebServer pod : pods.values()) {
        pod.close();
      }
      apiServer.shutdown();
    }
  }

  private static OkHttpClient client(LoadBalancer balancer, HandshakeCertificates trust) {
    OkHttpClient base = new OkHttpClient.Builder()
        .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager()).build();
    LoadBalancingInterceptor interceptor = LoadBalancingInterceptor.builder()
        .service(SERVICE, balancer).preserveHostHeader(true).build();
    return EndpointTls.builder().service(SERVICE, balancer).verifyAs(SERVICE, TLS_NAME).build()
        .applyTo(LoadBalancedOkHttp.wrap(base, interceptor));
  }

  private static MockWebServer startPod(String pod, HandshakeCertificates certificates)
      throws IOException {
    MockWebServer server = new MockWebServer();
    server.useHttps(certificates.sslSocketFactory());
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().body(pod).build();
      }
    });
    server.start(InetAddress.getLoopbackAddress(), 0);
    return server;
  }

  /** The slice the EndpointSlice controller would write for one pod. */
  private static EndpointSlice slice(String pod, int port, boolean ready, boolean terminating) {
    return new EndpointSliceBuilder().withNewMetadata().withName(pod).withNamespace(NAMESPACE)
        .addToLabels(KubernetesServerList.SERVICE_NAME_LABEL, SERVICE).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("https").withPort(port).withProtocol("TCP").endPort()
        .addNewEndpoint().withAddresses(InetAddress.getLoopbackAddress().getHostAddress())
        .withNewConditions().withReady(ready).withServing(ready || terminating)
        .withTerminating(terminating).endConditions()
        .withNodeName("node-1").withZone("zone-a")
        .withNewTargetRef().withKind("Pod").withName(pod).withNamespace(NAMESPACE).endTargetRef()
        .endEndpoint().build();
  }

  private static void awaitListed(LoadBalancer balancer, String pod, boolean listed) {
    await(() -> balancer.endpoints().stream().anyMatch(
        e -> pod.equals(e.metadata().get(KubernetesServerList.POD_METADATA))) == listed,
        pod + (listed ? " listed" : " gone"));
  }

  private static void await(BooleanSupplier condition, String what) {
    Awaitility.await(what).atMost(STEP_DEADLINE).pollInterval(Duration.ofMillis(5))
        .until(condition::getAsBoolean);
  }

  private static void print(PrintStream out, String phase, Map<String, Integer> served) {
    out.printf(Locale.ROOT, "%-18s %s%n", phase + ":", served);
  }

  /** Calls {@code https://orders/} one after another until stopped, counting who served. */
  private static final class Traffic implements Runnable {
    private final OkHttpClient client;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<Exception> failures = new ArrayList<>();
    private Map<String, Integer> served = new TreeMap<>();

    Traffic(OkHttpClient client) {
      this.client = client;
    }

    @Override
    public void run() {
      while (running.get()) {
        Request request = new Request.Builder().url("https://" + SERVICE + "/orders").build();
        try (Response response = client.newCall(request).execute()) {
          String pod = response.body().string();
          if (!response.isSuccessful()) {
            throw new IOException("HTTP " + response.code() + " from " + pod);
          }
          synchronized (this) {
            served.merge(pod, 1, Integer::sum);
          }
        } catch (IOException | RuntimeException e) {
          failed.incrementAndGet();
          synchronized (this) {
            failures.add(e);
          }
        }
        calls.incrementAndGet();
      }
    }

    void awaitCalls(int more) {
      int target = calls.get() + more;
      await(() -> calls.get() >= target || !running.get(), more + " more calls");
    }

    /** The calls served since the last phase, by pod. */
    synchronized Map<String, Integer> phase() {
      Map<String, Integer> phase = served;
      served = new TreeMap<>();
      return phase;
    }

    void stop() {
      running.set(false);
    }

    int calls() {
      return calls.get();
    }

    int failed() {
      return failed.get();
    }

    synchronized java.util.Optional<Exception> firstFailure() {
      return failures.stream().findFirst();
    }
  }
}
