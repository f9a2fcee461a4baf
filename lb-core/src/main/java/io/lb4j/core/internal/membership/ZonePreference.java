package io.lb4j.core.internal.membership;

import io.lb4j.core.Endpoint;
import io.lb4j.core.HealthTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The eligibility step of a balancer with a local zone: the available endpoints of the local zone
 * while enough of them are available, otherwise the tracker's eligible set over all zones
 * (spill-over, where panic mode applies). "Enough" means at least {@code minHealthy} endpoints and
 * at least {@code minHealthyPercent}% of the local zone's members. Endpoints with an empty zone
 * belong to no zone, so never to the local one. Logs each switch between local and spill-over at
 * INFO. Thread-safe when called under the balancer's rebuild lock, as it is.
 */
public final class ZonePreference {
  private static final Logger log = LoggerFactory.getLogger(ZonePreference.class);

  private final String balancer;
  private final String localZone;
  private final int minHealthyPercent;
  private final int minHealthy;
  private Boolean wasLocal;
  private volatile boolean spillingOver;

  /** @param localZone the client's zone; empty disables the preference */
  public ZonePreference(String balancer, String localZone, int minHealthyPercent, int minHealthy) {
    this.balancer = balancer;
    this.localZone = localZone;
    this.minHealthyPercent = minHealthyPercent;
    this.minHealthy = minHealthy;
  }

  /** Whether a local zone is set. */
  public boolean isEnabled() {
    return !localZone.isEmpty();
  }

  /**
   * Whether the latest {@link #eligible} call spilled over to all zones; false without a local
   * zone. Readable from any thread.
   */
  public boolean spillingOver() {
    return spillingOver;
  }

  /**
   * The endpoints of {@code members} that picks should go to.
   *
   * @param health the tracker that says which endpoints are available
   * @param eligibleOverall the tracker's eligible set of a list, panic included, for when the
   *     local zone does not hold enough of them
   */
  public List<Endpoint> eligible(List<Endpoint> members, HealthTracker health,
      UnaryOperator<List<Endpoint>> eligibleOverall) {
    if (localZone.isEmpty()) {
      return eligibleOverall.apply(members);
    }
    int local = 0;
    List<Endpoint> available = new ArrayList<>();
    for (Endpoint member : members) {
      if (localZone.equals(member.zone())) {
        local++;
        if (health.isAvailable(member)) {
          available.add(member);
        }
      }
    }
    boolean useLocal = local > 0 && available.size() >= minHealthy
        && (long) available.size() * 100 >= (long) minHealthyPercent * local;
    if (wasLocal == null || wasLocal != useLocal) {
      if (wasLocal != null || !useLocal) {
        log.info("load balancer '{}': {} of {} endpoints in local zone '{}' available; {}", balancer,
            available.size(), local, localZone, useLocal ? "local zone only" : "spilling over to all zones");
      }
      wasLocal = useLocal;
    }
    spillingOver = !useLocal;
    return useLocal ? available : eligibleOverall.apply(members);
  }
}
