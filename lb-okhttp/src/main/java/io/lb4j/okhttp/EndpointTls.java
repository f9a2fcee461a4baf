package io.lb4j.okhttp;

import io.lb4j.core.LoadBalancer;
import io.lb4j.okhttp.internal.ServiceNames;
import io.lb4j.okhttp.internal.ServiceNameSocketFactory;
import io.lb4j.okhttp.internal.ServiceNameVerifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * TLS to endpoint addresses, verified against the service's name. A balanced call to {@code
 * https://orders/...} connects to a pod's address ({@code 10.1.2.3:8443}), whose certificate names
 * the service ({@code orders.default.svc}), not the address. With {@link #applyTo} the client
 * sends that name as SNI and checks the certificate against it during the handshake (the JDK's
 * HTTPS identity check), then once more with the client's own hostname verifier. The name is the
 * one given with {@link Builder#verifyAs}, or by default the service's logical host (the request's
 * original host, e.g. {@code orders}); verification is never turned off. A certificate that does
 * not name it fails the handshake with an {@link javax.net.ssl.SSLHandshakeException} naming the
 * expected name.
 *
 * <pre>{@code
 * EndpointTls tls = EndpointTls.builder()
 *     .service("orders", ordersBalancer).verifyAs("orders", "orders.default.svc").build();
 * OkHttpClient client = tls.applyTo(LoadBalancedOkHttp.wrap(base, interceptor));
 * }</pre>
 *
 * <p>Which name a connection uses is decided per TLS handshake (not per call): the address and
 * port being connected to are looked up among the current endpoints of the configured services.
 * Connections to addresses of no service (any other HTTPS host) are left to the client's own
 * settings. Pair it with {@link LoadBalancingInterceptor.Builder#preserveHostHeader} so the
 * {@code Host} header (and HTTP/2's {@code :authority}) carries the logical host too.
 *
 * <p>Immutable and thread-safe. Null arguments fail with {@link NullPointerException}, bad values
 * with {@link IllegalArgumentException} naming them.
 */
public final class EndpointTls {
  private final ServiceNames names;

  private EndpointTls(ServiceNames names) {
    this.names = names;
  }

  /** A builder with no service configured. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A copy of {@code client} whose TLS connections to the services' endpoints send and verify the
   * service's name. It keeps the client's trust manager (its CAs), connection pool, interceptors
   * and hostname verifier for other hosts.
   *
   * @throws IllegalArgumentException if the client has no X509 trust manager to keep (it was
   *     given an SSL socket factory without one)
   */
  public OkHttpClient applyTo(OkHttpClient client) {
    Objects.requireNonNull(client, "client");
    X509TrustManager trustManager = client.x509TrustManager();
    if (trustManager == null) {
      throw new IllegalArgumentException("client has no X509TrustManager; build it with "
          + "sslSocketFactory(factory, trustManager)");
    }
    return client.newBuilder()
        .sslSocketFactory(new ServiceNameSocketFactory(client.sslSocketFactory(), names), trustManager)
        .hostnameVerifier(new ServiceNameVerifier(client.hostnameVerifier(), names))
        .build();
  }

  @Override
  public String toString() {
    return "EndpointTls" + names;
  }

  /** Builds {@link EndpointTls}; not thread-safe. */
  public static final class Builder {
    private final Map<String, LoadBalancer> services = new LinkedHashMap<>();
    private final Map<String, String> tlsNames = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Verifies connections to {@code balancer}'s endpoints against {@code name} (the logical host
     * the interceptor routes), unless {@link #verifyAs} gives another name.
     *
     * @throws IllegalArgumentException if {@code name} is not a host name or is already added
     */
    public Builder service(String name, LoadBalancer balancer) {
      Objects.requireNonNull(balancer, "balancer");
      String host = hostName("service", name);
      if (services.putIfAbsent(host, balancer) != null) {
        throw new IllegalArgumentException("service '" + host + "' is already configured");
      }
      return this;
    }

    /** Adds every entry of {@code services} as {@link #service} does. */
    public Builder services(Map<String, LoadBalancer> services) {
      Objects.requireNonNull(services, "services");
      services.forEach(this::service);
      return this;
    }

    /**
     * Verifies the certificates of {@code service}'s endpoints against {@code tlsName} (e.g.
     * {@code orders.default.svc}) and sends it as SNI.
     *
     * @throws IllegalArgumentException if either is not a host name
     */
    public Builder verifyAs(String service, String tlsName) {
      tlsNames.put(hostName("service", service), hostName("tlsName", tlsName));
      return this;
    }

    /**
     * The configured TLS rule.
     *
     * @throws IllegalArgumentException if {@link #verifyAs} names a service never added, or a
     *     service's TLS name cannot be sent as SNI (the JDK takes letters, digits and inner
     *     hyphens only, without a root dot: {@code orders_v2} and {@code orders.} are host names
     *     but no server names)
     */
    public EndpointTls build() {
      for (String service : tlsNames.keySet()) {
        if (!services.containsKey(service)) {
          throw new IllegalArgumentException("verifyAs names service '" + service
              + "', which is not configured; add it with service(name, balancer)");
        }
      }
      Map<String, String> names = new LinkedHashMap<>();
      services.keySet().forEach(service -> names.put(service, serverName(service)));
      return new EndpointTls(new ServiceNames(services, names));
    }

    private String serverName(String service) {
      String tlsName = tlsNames.get(service);
      try {
        new SNIHostName(tlsName == null ? service : tlsName);
      } catch (IllegalArgumentException e) {
        String which = tlsName == null
            ? "service '" + service + "'"
            : "tlsName '" + tlsName + "' of service '" + service + "'";
        throw new IllegalArgumentException(which + " cannot be sent as a TLS server name (SNI): "
            + e.getMessage() + "; give one that can with verifyAs(service, tlsName)", e);
      }
      return tlsName == null ? service : tlsName;
    }

    private static String hostName(String field, String name) {
      Objects.requireNonNull(name, field);
      HttpUrl url = name.isBlank() ? null : HttpUrl.parse("https://" + name + "/");
      if (url == null || !url.host().equalsIgnoreCase(name)) {
        throw new IllegalArgumentException(field + " must be a host name, was '" + name + "'");
      }
      return url.host();
    }
  }
}
