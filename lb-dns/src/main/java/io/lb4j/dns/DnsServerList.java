package io.lb4j.dns;

import io.lb4j.core.discovery.DiscoveryOptions;
import io.lb4j.core.discovery.DiscoveryServerList;
import io.lb4j.core.discovery.PollingServerList;
import io.lb4j.core.discovery.RegistryAnswer;
import io.lb4j.core.internal.Arguments;
import io.lb4j.dns.internal.DnsAnswers;
import io.lb4j.dns.internal.DnsLookup;
import io.lb4j.dns.internal.TtlBounds;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A server list that follows DNS: the A/AAAA records of a host name (every address on one port),
 * or the SRV records of a service name ({@code _http._tcp.orders.example}: port, weight and
 * priority per record, the lowest priority set winning, weight 0 mapping to the minimum weight 1).
 * It queries again when the smallest TTL of the answer expires, clamped to {@link
 * Builder#ttlBounds [min, max]}, and follows the rules of {@link DiscoveryServerList}: not ready
 * until the first answer, a failing resolver (timeout, SERVFAIL, refused) keeps the last list and
 * backs off, an empty answer (NXDOMAIN, no records) follows the empty-answer policy.
 *
 * <p>Names are absolute: no search domains are appended. Queries go out asynchronously through
 * dnsjava's own I/O thread; answers are handled on the discovery scheduler, never on a caller's or
 * a health check's thread. Works with Consul's DNS interface: {@code srv("orders.service.consul")}
 * against the agent's DNS port. Thread-safe; close it to stop querying.
 */
public final class DnsServerList extends PollingServerList {
  /** Metadata key holding the SRV target name on an endpoint built from an SRV record. */
  public static final String TARGET_METADATA = "dns.target";

  private final Name name;
  private final boolean srv;
  private final List<Integer> types;
  private final int port;
  private final DnsLookup lookup;
  private final DnsAnswers answers;

  private DnsServerList(Builder builder, String sourceName, Name name) {
    super(sourceName, builder.options);
    this.name = name;
    this.port = builder.port;
    this.srv = builder.srv;
    this.types = builder.srv ? List.of(Type.SRV) : builder.addressTypes();
    this.lookup = new DnsLookup(sourceName, builder.resolvedServers(), builder.queryTimeout);
    this.answers = new DnsAnswers(sourceName, new TtlBounds(builder.minTtl, builder.maxTtl));
  }

  /** A builder for the SRV records of {@code serviceName}, e.g. {@code _http._tcp.orders.example}. */
  public static Builder srv(String serviceName) {
    return new Builder(serviceName, true, 0);
  }

  /** A builder for the A and AAAA records of {@code hostName}, every address on {@code port}. */
  public static Builder addresses(String hostName, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in [1, 65535], was " + port);
    }
    return new Builder(hostName, false, port);
  }

  @Override
  protected CompletionStage<RegistryAnswer> query() {
    if (srv) {
      return lookup.query(name, Type.SRV, options().scheduler()).thenApply(answers::srv);
    }
    List<CompletableFuture<Message>> responses = new ArrayList<>();
    for (int type : types) {
      responses.add(lookup.query(name, type, options().scheduler()).toCompletableFuture());
    }
    return CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> answers.addresses(responses.stream().map(CompletableFuture::join)
            .toList(), port));
  }

  /** Builds and starts a {@link DnsServerList}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final boolean srv;
    private final int port;
    private List<InetSocketAddress> servers = List.of();
    private Duration minTtl = Duration.ofSeconds(1);
    private Duration maxTtl = Duration.ofMinutes(5);
    private Duration queryTimeout = Duration.ofSeconds(5);
    private boolean ipv4 = true;
    private boolean ipv6 = true;
    private DiscoveryOptions options = DiscoveryOptions.defaults();

    private Builder(String name, boolean srv, int port) {
      this.name = Objects.requireNonNull(name, "name");
      this.srv = srv;
      this.port = port;
    }

    /** The DNS servers to ask, in order; default: the system's (resolv.conf and the like). */
    public Builder servers(List<InetSocketAddress> servers) {
      Objects.requireNonNull(servers, "servers");
      if (servers.isEmpty()) {
        throw new IllegalArgumentException("servers must not be empty");
      }
      for (InetSocketAddress server : servers) {
        Objects.requireNonNull(server, "server");
      }
      this.servers = List.copyOf(servers);
      return this;
    }

    /** @see #servers(List) */
    public Builder servers(InetSocketAddress... servers) {
      return servers(List.of(servers));
    }

    /**
     * The bounds of the delay between successful queries (the answer's smallest TTL, clamped);
     * default 1 s to 5 min.
     */
    public Builder ttlBounds(Duration min, Duration max) {
      Arguments.positive(min, "minTtl");
      Arguments.positive(max, "maxTtl");
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException("maxTtl must be >= minTtl " + min + ", was " + max);
      }
      this.minTtl = min;
      this.maxTtl = max;
      return this;
    }

    /** How long one query waits for its answer before it counts as failed; default 5 s. */
    public Builder queryTimeout(Duration timeout) {
      this.queryTimeout = Arguments.positive(timeout, "queryTimeout");
      return this;
    }

    /** Whether address lookups ask for A records; default true. */
    public Builder ipv4(boolean ipv4) {
      this.ipv4 = ipv4;
      return this;
    }

    /** Whether address lookups ask for AAAA records; default true. */
    public Builder ipv6(boolean ipv6) {
      this.ipv6 = ipv6;
      return this;
    }

    /** Readiness, backoff, empty-answer policy and scheduler; default {@link DiscoveryOptions#defaults()}. */
    public Builder options(DiscoveryOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Builds the list and sends its first query.
     *
     * @throws IllegalArgumentException if the name is not a valid DNS name, if an address lookup
     *     asks for neither A nor AAAA, or if an SRV lookup sets ipv4/ipv6
     */
    public DnsServerList build() {
      Name absolute;
      try {
        absolute = Name.fromString(name, Name.root);
      } catch (TextParseException e) {
        throw new IllegalArgumentException("name is not a valid DNS name: '" + name + "'", e);
      }
      if (srv && !(ipv4 && ipv6)) {
        throw new IllegalArgumentException("ipv4/ipv6 apply to address lookups, not SRV " + name);
      }
      if (!srv && !ipv4 && !ipv6) {
        throw new IllegalArgumentException("ipv4 and ipv6 are both off for " + name);
      }
      String sourceName = srv
          ? "dns SRV " + absolute
          : "dns " + String.join("/", addressTypes().stream().map(Type::string).toList()) + " "
              + absolute + " port " + port;
      DnsServerList list = new DnsServerList(this, sourceName, absolute);
      list.start();
      return list;
    }

    private List<Integer> addressTypes() {
      List<Integer> types = new ArrayList<>(2);
      if (ipv4) {
        types.add(Type.A);
      }
      if (ipv6) {
        types.add(Type.AAAA);
      }
      return types;
    }

    private List<InetSocketAddress> resolvedServers() {
      if (!servers.isEmpty()) {
        return servers;
      }
      List<InetSocketAddress> system = ResolverConfig.getCurrentConfig().servers();
      if (system.isEmpty()) {
        throw new IllegalStateException("no DNS server configured on this system; set servers(...)");
      }
      return system;
    }
  }
}
