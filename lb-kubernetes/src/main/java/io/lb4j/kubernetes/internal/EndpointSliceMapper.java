package io.lb4j.kubernetes.internal;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.lb4j.core.discovery.RegistryAnswer;
import io.lb4j.kubernetes.AddressFamily;
import io.lb4j.kubernetes.KubernetesServerList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the EndpointSlices of one Service into one {@link RegistryAnswer}: every address of every
 * endpoint of the chosen family × the chosen port. Conditions follow kube-proxy: endpoints that are
 * {@code ready} take traffic; when none is, the ones {@code serving} while {@code terminating} do
 * (a rollout's last pods finishing their requests); others never. A missing {@code ready} or
 * {@code serving} means true and a missing {@code terminating} false, as the API specifies. An
 * address listed in several slices (they overlap briefly while the controller moves endpoints)
 * counts once. Stateless and thread-safe.
 */
public final class EndpointSliceMapper {
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final String source;
  private final AddressFamily family;
  private final String portName;

  /**
   * @param source names the Service in WARNs
   * @param portName the port to use, by name; null to use a slice's only port
   */
  public EndpointSliceMapper(String source, AddressFamily family, String portName) {
    this.source = source;
    this.family = family;
    this.portName = portName;
  }

  /** The endpoints of {@code slices} that may take traffic now. */
  public RegistryAnswer map(Collection<EndpointSlice> slices) {
    RegistryAnswer.Builder answer = RegistryAnswer.builder(source);
    List<Candidate> ready = new ArrayList<>();
    List<Candidate> terminating = new ArrayList<>();
    for (EndpointSlice slice : slices) {
      if (!family.addressType().equals(slice.getAddressType())) {
        continue;
      }
      String sliceName = slice.getMetadata() == null ? "?" : slice.getMetadata().getName();
      Integer port = port(slice, sliceName, answer);
      if (port == null || slice.getEndpoints() == null) {
        continue;
      }
      for (Endpoint endpoint : slice.getEndpoints()) {
        EndpointConditions conditions = endpoint.getConditions();
        if (isTrue(conditions == null ? null : conditions.getReady(), true)) {
          ready.add(new Candidate(sliceName, endpoint, port));
        } else if (conditions != null && isTrue(conditions.getServing(), true)
            && isTrue(conditions.getTerminating(), false)) {
          terminating.add(new Candidate(sliceName, endpoint, port));
        }
      }
    }
    Set<String> seen = new HashSet<>();
    for (Candidate candidate : ready.isEmpty() ? terminating : ready) {
      add(candidate, answer, seen);
    }
    return answer.build();
  }

  private Integer port(EndpointSlice slice, String sliceName, RegistryAnswer.Builder answer) {
    List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
    if (portName == null) {
      if (ports.size() != 1) {
        answer.skip("slice " + sliceName, "has " + ports.size()
            + " ports; choose one with portName(...)");
        return null;
      }
      return ports.get(0).getPort();
    }
    for (EndpointPort port : ports) {
      if (portName.equals(port.getName())) {
        return port.getPort();
      }
    }
    answer.skip("slice " + sliceName, "has no port named '" + portName + "'");
    return null;
  }

  private void add(Candidate candidate, RegistryAnswer.Builder answer, Set<String> seen) {
    Endpoint endpoint = candidate.endpoint();
    List<String> addresses = endpoint.getAddresses() == null ? List.of() : endpoint.getAddresses();
    for (String address : addresses) {
      String description = "slice " + candidate.slice() + " address " + address;
      if (address == null || !(family == AddressFamily.IPV4 ? IPV4 : IPV6).matcher(address).matches()) {
        answer.skip(description, "not an " + family.addressType() + " address");
        continue;
      }
      if (!seen.add(address + "\n" + candidate.port())) {
        continue;
      }
      answer.add(description, () -> toEndpoint(address, candidate.port(), endpoint));
    }
  }

  private static io.lb4j.core.Endpoint toEndpoint(String address, Integer port, Endpoint endpoint) {
    if (port == null) {
      throw new IllegalArgumentException("the port has no number");
    }
    io.lb4j.core.Endpoint.Builder builder = io.lb4j.core.Endpoint.builder(address, port);
    if (endpoint.getZone() != null) {
      builder.zone(endpoint.getZone());
    }
    if (endpoint.getNodeName() != null) {
      builder.metadata(KubernetesServerList.NODE_METADATA, endpoint.getNodeName());
    }
    ObjectReference target = endpoint.getTargetRef();
    if (target != null && "Pod".equals(target.getKind()) && target.getName() != null) {
      builder.metadata(KubernetesServerList.POD_METADATA, target.getName());
    }
    return builder.build();
  }

  private static boolean isTrue(Boolean value, boolean whenMissing) {
    return value == null ? whenMissing : value;
  }

  private record Candidate(String slice, Endpoint endpoint, Integer port) {}
}
