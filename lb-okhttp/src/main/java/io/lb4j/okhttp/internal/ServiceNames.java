package io.lb4j.okhttp.internal;

import io.lb4j.core.Endpoint;
import io.lb4j.core.LoadBalancer;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * Finds the TLS name of an endpoint address: the name of the configured service whose balancer
 * currently lists that host and port. Read once per TLS handshake, never per call. Immutable and
 * thread-safe.
 */
public final class ServiceNames {
  private final Map<String, LoadBalancer> services;
  private final Map<String, String> tlsNames;

  /** @param tlsNames the TLS name of each service in {@code services} */
  public ServiceNames(Map<String, LoadBalancer> services, Map<String, String> tlsNames) {
    this.services = Map.copyOf(services);
    this.tlsNames = Map.copyOf(tlsNames);
  }

  /**
   * The TLS name for a connection to {@code host:port}, or null when the address belongs to no
   * configured service (then the client's own rules apply).
   */
  public String tlsName(String host, int port) {
    for (Map.Entry<String, LoadBalancer> service : services.entrySet()) {
      List<Endpoint> endpoints = service.getValue().endpoints();
      for (Endpoint endpoint : endpoints) {
        if (endpoint.port() == port && isConnectedHost(endpoint.host(), host)) {
          return tlsNames.get(service.getKey());
        }
      }
    }
    return null;
  }

  /**
   * Whether OkHttp, routed to {@code endpointHost}, connects to {@code host}: it lower-cases names
   * and writes IPv6 literals in their shortest form ({@code 0:0:0:0:0:0:0:1} as {@code ::1}).
   */
  private static boolean isConnectedHost(String endpointHost, String host) {
    if (endpointHost.equalsIgnoreCase(host)) {
      return true;
    }
    if (endpointHost.indexOf(':') < 0) {
      return false;
    }
    HttpUrl url = HttpUrl.parse("https://[" + endpointHost + "]/");
    return url != null && url.host().equals(host);
  }

  @Override
  public String toString() {
    return tlsNames.toString();
  }
}
