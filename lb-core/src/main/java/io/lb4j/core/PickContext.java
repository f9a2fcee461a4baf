package io.lb4j.core;

import java.util.Arrays;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * What one pick may take into account: a hash key (for affinity), a session id (for sticky
 * sessions) and endpoints to exclude (already tried by this call). Which attempt of a call a pick
 * serves is the caller's business: no algorithm chooses differently for a retry than through the
 * exclusions, so the context does not carry it.
 *
 * <p>Mutable and <em>not</em> thread-safe: one context belongs to one call at a time. It is meant to
 * be reused across the attempts of a call, and across calls via {@link #reset()}; setting fields
 * allocates nothing except when the exclusion array grows beyond its initial capacity of four.
 * Exclusion compares endpoint {@link Endpoint#id() ids}, so an endpoint excluded from one snapshot
 * stays excluded in the next.
 */
public final class PickContext {
  private boolean hasHashKey;
  private long hashKey;
  private String sessionId;
  private Endpoint[] excluded = new Endpoint[4];
  private int excludedCount;

  private PickContext() {}

  /** A context with no key, no session and nothing excluded. */
  public static PickContext create() {
    return new PickContext();
  }

  /** Clears every field back to the state {@link #create()} returns. */
  public PickContext reset() {
    hasHashKey = false;
    hashKey = 0;
    sessionId = null;
    Arrays.fill(excluded, 0, excludedCount, null);
    excludedCount = 0;
    return this;
  }

  /**
   * Sets a key that has already been hashed (for example a user id hashed once with
   * {@link KeyHash#of(String)} and cached). Hash algorithms use it as is; it should be well mixed.
   */
  public PickContext hashKey(long hashedKey) {
    this.hashKey = hashedKey;
    this.hasHashKey = true;
    return this;
  }

  /**
   * Sets the affinity key (a user id, a cart id, a shard key): hashed with {@link KeyHash#of(String)}
   * at once, without allocating.
   *
   * @throws NullPointerException if {@code key} is null
   */
  public PickContext hashKey(String key) {
    return hashKey(KeyHash.of(key));
  }

  /**
   * Sets the affinity key as raw bytes: hashed with {@link KeyHash#of(byte[])} at once.
   *
   * @throws NullPointerException if {@code key} is null
   */
  public PickContext hashKey(byte[] key) {
    return hashKey(KeyHash.of(key));
  }

  /** Whether a hash key was set. */
  public boolean hasHashKey() {
    return hasHashKey;
  }

  /**
   * The hashed key.
   *
   * @throws IllegalStateException if none was set
   */
  public long hashKey() {
    if (!hasHashKey) {
      throw new IllegalStateException("no hash key set");
    }
    return hashKey;
  }

  /** Sets the session id for sticky sessions. */
  public PickContext sessionId(String sessionId) {
    this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
    return this;
  }

  /** The session id, or null if none was set. */
  public String sessionIdOrNull() {
    return sessionId;
  }

  /** Excludes {@code endpoint} (by id) from this context's picks: typically one already tried. */
  public PickContext exclude(Endpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    if (isExcluded(endpoint)) {
      return this;
    }
    if (excludedCount == excluded.length) {
      excluded = Arrays.copyOf(excluded, excludedCount * 2);
    }
    excluded[excludedCount++] = endpoint;
    return this;
  }

  /** Whether {@code endpoint}'s id was excluded. Allocation-free; O(excluded count). */
  public boolean isExcluded(Endpoint endpoint) {
    for (int i = 0; i < excludedCount; i++) {
      Endpoint e = excluded[i];
      if (e == endpoint || e.id().equals(endpoint.id())) {
        return true;
      }
    }
    return false;
  }

  /** How many endpoints are excluded. */
  public int excludedCount() {
    return excludedCount;
  }

  @Override
  public String toString() {
    StringJoiner fields = new StringJoiner(", ", "PickContext{", "}");
    if (hasHashKey) {
      fields.add("hashKey=" + Long.toHexString(hashKey));
    }
    if (sessionId != null) {
      fields.add("sessionId=" + sessionId);
    }
    if (excludedCount > 0) {
      fields.add("excluded=" + Arrays.toString(Arrays.copyOf(excluded, excludedCount)));
    }
    return fields.toString();
  }
}
