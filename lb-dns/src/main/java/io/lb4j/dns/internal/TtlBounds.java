package io.lb4j.dns.internal;

import java.time.Duration;

/**
 * The clamp applied to a DNS TTL before it becomes the delay to the next query: a TTL of 0 (which
 * Consul's DNS interface sends by default) must not turn the source into a busy loop, and a TTL of
 * a day must not hide a change for a day.
 */
public record TtlBounds(Duration min, Duration max) {

  /** {@code ttlSeconds} clamped to [min, max]. */
  public Duration clamp(long ttlSeconds) {
    Duration ttl = Duration.ofSeconds(Math.max(0, ttlSeconds));
    if (ttl.compareTo(min) < 0) {
      return min;
    }
    return ttl.compareTo(max) > 0 ? max : ttl;
  }
}
