package io.lb4j.core;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a pick would go where it goes, from {@link LoadBalancer#explain}: every member with its
 * health state, weight, load and latency estimate, whether it was a candidate or excluded by the
 * call, the endpoint chosen and the rule that chose it. Immutable; {@link #toString()} renders it
 * as a small table for logs.
 *
 * @param balancer the balancer's name
 * @param algorithm the algorithm's name
 * @param panic whether the health tracker was in panic mode
 * @param members every member of the server list, in membership order
 * @param chosen the endpoint the pick would choose; empty when none could be picked
 * @param rule how it was chosen (or why nothing could be), naming endpoints by id
 */
public record PickExplanation(
    String balancer,
    String algorithm,
    boolean panic,
    List<Member> members,
    Optional<Endpoint> chosen,
    String rule) {

  /**
   * Copies {@code members} into an unmodifiable list.
   *
   * @throws NullPointerException if a component other than {@code panic} is null
   */
  public PickExplanation {
    Objects.requireNonNull(balancer, "balancer");
    Objects.requireNonNull(algorithm, "algorithm");
    members = List.copyOf(members);
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(rule, "rule");
  }

  /**
   * One member as the pick saw it.
   *
   * @param endpoint the member
   * @param state its health: {@code eligible}, {@code ramping}, {@code ejected for 25s},
   *     {@code probe down}, {@code marked (source: reason)}, {@code reported (source: reason)},
   *     {@code outside the local zone}, {@code not in the current selector} (a rebuild not yet
   *     published), with {@code (panic: taken anyway)} when panic mode
   *     overrides a soft removal
   * @param candidate whether the selector chose among it (eligible after health and zones)
   * @param excluded whether the call excluded it (already tried)
   * @param weight the weight the algorithm sees; its configured weight if not a candidate
   * @param inFlight its requests in flight
   * @param latencyEstimate its peak-EWMA latency estimate; zero before any measured call
   */
  public record Member(
      Endpoint endpoint,
      String state,
      boolean candidate,
      boolean excluded,
      int weight,
      int inFlight,
      Duration latencyEstimate) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code endpoint}, {@code state} or {@code latencyEstimate} is null
     */
    public Member {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(latencyEstimate, "latencyEstimate");
    }
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    out.append(balancer).append(" (").append(algorithm).append(panic ? ", panic mode" : "")
        .append("): ").append(rule).append('\n');
    int width = 8;
    for (Member member : members) {
      width = Math.max(width, member.endpoint().id().length());
    }
    String row = "  %-" + width + "s  %-9s  %6s  %9s  %10s  %s%n";
    out.append(String.format(Locale.ROOT, row, "endpoint", "candidate", "weight", "in flight",
        "latency", "state"));
    for (Member member : members) {
      String mark = chosen.isPresent() && chosen.get().id().equals(member.endpoint().id()) ? "* " : "";
      out.append(String.format(Locale.ROOT, row, member.endpoint().id(),
          member.excluded() ? "excluded" : member.candidate() ? "yes" : "no",
          member.weight(), member.inFlight(),
          String.format(Locale.ROOT, "%.1f ms", member.latencyEstimate().toNanos() / 1e6),
          mark + member.state()));
    }
    return out.toString();
  }
}
