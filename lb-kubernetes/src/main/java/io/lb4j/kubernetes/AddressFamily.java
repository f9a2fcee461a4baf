package io.lb4j.kubernetes;

/**
 * Which addresses of a dual-stack Service a {@link KubernetesServerList} follows. Kubernetes keeps
 * one set of EndpointSlices per family ({@code addressType} {@code IPv4} or {@code IPv6}); the
 * list reads only the slices of the chosen family.
 */
public enum AddressFamily {
  /** Slices with {@code addressType: IPv4}; the default. */
  IPV4("IPv4"),
  /** Slices with {@code addressType: IPv6}. */
  IPV6("IPv6");

  private final String addressType;

  AddressFamily(String addressType) {
    this.addressType = addressType;
  }

  /** The EndpointSlice {@code addressType} of this family, e.g. {@code "IPv4"}. */
  public String addressType() {
    return addressType;
  }
}
