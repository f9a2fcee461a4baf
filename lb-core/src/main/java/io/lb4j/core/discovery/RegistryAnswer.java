package io.lb4j.core.discovery;

import io.lb4j.core.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One successful answer of a registry, turned into endpoints: the border where registry data is
 * validated. A source adds each registry entry through {@link Builder#add}; an entry that cannot
 * become an {@link Endpoint} (bad port, blank host, weight out of range, a missing JSON field, a
 * duplicate id) is skipped with a WARN naming it and the reason, and the rest of the answer stands.
 * Immutable once built.
 */
public final class RegistryAnswer {
  /** The refresh delay of an answer that does not set one. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(30);

  private final List<Endpoint> endpoints;
  private final int skipped;
  private final Duration refreshAfter;

  private RegistryAnswer(List<Endpoint> endpoints, int skipped, Duration refreshAfter) {
    this.endpoints = endpoints;
    this.skipped = skipped;
    this.refreshAfter = refreshAfter;
  }

  /**
   * A builder for one answer of {@code source} (the name used in WARN messages, e.g. {@code "dns
   * SRV _http._tcp.orders.example"}).
   */
  public static Builder builder(String source) {
    return new Builder(source);
  }

  /** The valid endpoints, unique by id, in the registry's order; unmodifiable. */
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /** How many entries were skipped as malformed. */
  public int skipped() {
    return skipped;
  }

  /**
   * For a {@link PollingServerList}: when to query again after this answer (a DNS TTL, a Consul
   * rate limit); {@link #DEFAULT_REFRESH} unless the source set it.
   */
  public Duration refreshAfter() {
    return refreshAfter;
  }

  @Override
  public String toString() {
    return "RegistryAnswer{" + endpoints + (skipped == 0 ? "" : ", skipped=" + skipped)
        + ", refreshAfter=" + refreshAfter + "}";
  }

  /** Collects one answer's entries; not thread-safe. */
  public static final class Builder {
    private static final Logger log = LoggerFactory.getLogger(RegistryAnswer.class);

    private final String source;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private int skipped;
    private Duration refreshAfter = DEFAULT_REFRESH;

    private Builder(String source) {
      this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Adds the endpoint {@code entry} builds, or skips the entry with a WARN if building it throws
     * (any {@link RuntimeException}: this is where malformed registry data is expected) or if its id
     * is already in this answer. Returns whether the entry was added.
     *
     * @param description names the entry in the WARN, e.g. {@code "SRV 10 0 0 a.example."}
     */
    public boolean add(String description, Supplier<Endpoint> entry) {
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(entry, "entry");
      Endpoint endpoint;
      try {
        endpoint = Objects.requireNonNull(entry.get(), "endpoint");
      } catch (RuntimeException e) {
        skip(description, e.getMessage() == null ? e.toString() : e.getMessage());
        log.debug("{}: entry {} failed with", source, description, e);
        return false;
      }
      if (!ids.add(endpoint.id())) {
        skip(description, "duplicate endpoint id " + endpoint.id());
        return false;
      }
      endpoints.add(endpoint);
      return true;
    }

    /** Skips an entry the source found malformed itself, with a WARN naming it and the reason. */
    public Builder skip(String description, String reason) {
      skipped++;
      log.warn("{}: skipped malformed registry entry {}: {}", source, description, reason);
      return this;
    }

    /** When a polling source should query again; positive or zero. */
    public Builder refreshAfter(Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("refreshAfter must be >= 0, was " + delay);
      }
      this.refreshAfter = delay;
      return this;
    }

    /** The answer collected so far: its valid endpoints, skipped count and refresh delay. */
    public RegistryAnswer build() {
      return new RegistryAnswer(List.copyOf(endpoints), skipped, refreshAfter);
    }
  }
}
