package io.lb4j.okhttp.internal;

import io.lb4j.core.Endpoint;
import okhttp3.HttpUrl;

/**
 * Points URLs at endpoints, refusing the hosts lb-core accepts and OkHttp cannot carry as they are:
 * those its {@link HttpUrl} rejects (a 253-character name with a root dot, an {@code xn--} label
 * that is not punycode) and those it would turn into another name (it re-encodes {@code xn---ab}
 * as {@code xn--ab}). Lower-casing a name or shortening an IPv6 literal keeps the address.
 */
public final class EndpointUrls {
  private EndpointUrls() {}

  /**
   * {@code url} with {@code endpoint}'s host and port.
   *
   * @throws IllegalArgumentException naming the host if OkHttp refuses it or would change it
   */
  public static HttpUrl pointedAt(HttpUrl.Builder url, Endpoint endpoint) {
    String host = endpoint.host();
    HttpUrl pointed;
    try {
      pointed = url.host(host).port(endpoint.port()).build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("OkHttp refuses host '" + host + "' in a URL", e);
    }
    if (host.indexOf(':') < 0 && !pointed.host().equalsIgnoreCase(host)) {
      throw new IllegalArgumentException("OkHttp rewrites host '" + host + "' to '"
          + pointed.host() + "', another name");
    }
    return pointed;
  }
}
