package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TLS to an endpoint address against a real TLS server on loopback whose certificate names only a
 * service name, never 127.0.0.1: lb4j's call succeeds when that name is the one verified, and
 * fails with an error naming it when the certificate is another service's.
 */
class EndpointTlsTest {
  private static final HeldCertificate CA = new HeldCertificate.Builder().certificateAuthority(0)
      .commonName("test cluster CA").build();

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private MockWebServer serverWithCertificateFor(String name) throws IOException {
    return serverWithCertificateFor(name, InetAddress.getLoopbackAddress());
  }

  private MockWebServer serverWithCertificateFor(String name, InetAddress address)
      throws IOException {
    HeldCertificate certificate = new HeldCertificate.Builder().signedBy(CA).addSubjectAlternativeName(name)
        .commonName(name).build();
    HandshakeCertificates server = new HandshakeCertificates.Builder()
        .heldCertificate(certificate).build();
    MockWebServer web = new MockWebServer();
    web.useHttps(server.sslSocketFactory());
    web.enqueue(new MockResponse.Builder().body("hello from " + name).build());
    web.start(address, 0);
    closeables.add(web);
    return web;
  }

  private OkHttpClient client(MockWebServer web, EndpointTls.Builder tls) {
    return client(Endpoint.of(web.getHostName(), web.getPort()), tls);
  }

  private OkHttpClient client(Endpoint endpoint, EndpointTls.Builder tls) {
    LoadBalancer balancer = LoadBalancer.builder(MutableServerList.of(endpoint)).name("orders")
        .build();
    closeables.add(balancer);
    HandshakeCertificates trust = new HandshakeCertificates.Builder()
        .addTrustedCertificate(CA.certificate()).build();
    OkHttpClient base = new OkHttpClient.Builder()
        .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager()).build();
    LoadBalancingInterceptor interceptor = LoadBalancingInterceptor.builder()
        .service("orders", balancer).preserveHostHeader(true).build();
    return tls.service("orders", balancer).build()
        .applyTo(LoadBalancedOkHttp.wrap(base, interceptor));
  }

  private static String get(OkHttpClient client, String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.body().string();
    }
  }

  @Test
  void certificateForTheConfiguredNameIsAcceptedWithThatNameAsSniAndTheLogicalHostAsHost()
      throws Exception {
    MockWebServer web = serverWithCertificateFor("orders.default.svc");
    OkHttpClient client = client(web, EndpointTls.builder().verifyAs("orders", "orders.default.svc"));

    assertThat(get(client, "https://orders/v1/items")).isEqualTo("hello from orders.default.svc");

    RecordedRequest request = web.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getHandshakeServerNames()).containsExactly("orders.default.svc");
    // HTTP/2 over ALPN here: the Host header travels as :authority, from which the server builds
    // the request URL.
    assertThat(request.getUrl().host()).as("host the server saw, headers %s", request.getHeaders())
        .isEqualTo("orders");
  }

  @Test
  void byDefaultTheCertificateMustNameTheRequestsOriginalHost() throws Exception {
    MockWebServer web = serverWithCertificateFor("orders");
    OkHttpClient client = client(web, EndpointTls.builder());

    assertThat(get(client, "https://orders/v1/items")).isEqualTo("hello from orders");
  }

  @Test
  void certificateOfAnotherServiceFailsNamingTheExpectedName() throws Exception {
    MockWebServer web = serverWithCertificateFor("payments.default.svc");
    OkHttpClient client = client(web, EndpointTls.builder().verifyAs("orders", "orders.default.svc"));

    assertThatThrownBy(() -> get(client, "https://orders/v1/items"))
        .satisfies(e -> assertThat(sslFailures(e)).anySatisfy(ssl ->
            assertThat(ssl).hasMessageContaining("orders.default.svc")));
  }

  @Test
  void withoutEndpointTlsTheAddressIsVerifiedAndTheServiceCertificateRefused() throws Exception {
    MockWebServer web = serverWithCertificateFor("orders.default.svc");
    LoadBalancer balancer = LoadBalancer.builder(MutableServerList.of(
        Endpoint.of(web.getHostName(), web.getPort()))).name("orders").build();
    closeables.add(balancer);
    HandshakeCertificates trust = new HandshakeCertificates.Builder()
        .addTrustedCertificate(CA.certificate()).build();
    OkHttpClient plain = LoadBalancedOkHttp.wrap(new OkHttpClient.Builder()
        .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager()).build(),
        Map.of("orders", balancer));

    assertThatThrownBy(() -> get(plain, "https://orders/v1/items"))
        .satisfies(e -> assertThat(sslFailures(e)).isNotEmpty());
  }

  @Test
  void builderRejectsBadNamesNamingThem() {
    EndpointTls.Builder builder = EndpointTls.builder();
    assertThatThrownBy(() -> builder.verifyAs("orders", "orders.default.svc").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("verifyAs names service "
            + "'orders', which is not configured; add it with service(name, balancer)");
    assertThatThrownBy(() -> builder.verifyAs("orders", "orders default"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tlsName must be a host name, was 'orders default'");
    assertThatThrownBy(() -> builder.service("not a host", LoadBalancer.builder(MutableServerList.of(
        Endpoint.of("10.0.0.1", 80))).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service must be a host name, was 'not a host'");
  }

  @Test
  void builderRejectsNamesTlsCannotSendAsServerNameNamingThem() {
    LoadBalancer balancer = LoadBalancer.builder(MutableServerList.of(Endpoint.of("10.0.0.1", 80)))
        .build();
    closeables.add(balancer);
    // Names OkHttp takes in a URL, the JDK not as SNI: they failed every handshake, raw.
    assertThatThrownBy(() -> EndpointTls.builder().service("orders_v2", balancer).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("service 'orders_v2' cannot be sent as a TLS server name (SNI)")
        .hasMessageContaining("verifyAs");
    assertThatThrownBy(() -> EndpointTls.builder().service("orders", balancer)
        .verifyAs("orders", "orders.default.svc.").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tlsName 'orders.default.svc.' of service 'orders' cannot be sent "
            + "as a TLS server name (SNI)");

    assertThat(EndpointTls.builder().service("orders_v2", balancer)
        .verifyAs("orders_v2", "orders-v2.default.svc").build()).isNotNull();
  }

  @Test
  void ipv6EndpointWrittenInFullIsVerifiedAgainstTheServiceName() throws Exception {
    InetAddress ipv6Loopback = InetAddress.getByName("::1");
    try (ServerSocket probe = new ServerSocket(0, 1, ipv6Loopback)) {
      assumeTrue(probe.getInetAddress() instanceof Inet6Address, "no IPv6 loopback");
    } catch (IOException e) {
      assumeTrue(false, "no IPv6 loopback: " + e);
    }
    MockWebServer web = serverWithCertificateFor("orders.default.svc", ipv6Loopback);
    // OkHttp connects to "::1", its form of this address: the same endpoint.
    OkHttpClient client = client(Endpoint.of("0:0:0:0:0:0:0:1", web.getPort()),
        EndpointTls.builder().verifyAs("orders", "orders.default.svc"));

    assertThat(get(client, "https://orders/v1/items")).isEqualTo("hello from orders.default.svc");
  }

  private static List<Throwable> sslFailures(Throwable failure) {
    List<Throwable> found = new ArrayList<>();
    collect(failure, found);
    return found;
  }

  private static void collect(Throwable failure, List<Throwable> found) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        found.add(t);
      }
      for (Throwable suppressed : t.getSuppressed()) {
        collect(suppressed, found);
      }
    }
  }
}
