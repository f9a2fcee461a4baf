package io.lb4j.consul.internal;

/**
 * The {@code index} of Consul's blocking queries, kept by the rules Consul's documentation gives
 * its clients: take {@code X-Consul-Index} from each answer; if it goes backwards (a snapshot
 * restore, a new leader with an older Raft index), reset to 0 so the next query answers at once
 * with the full state instead of blocking on an index that will not come; treat an index below 1
 * as 1, since blocking on 0 returns at once and would spin. After a failed query the index is reset
 * too, so a recovered agent answers at once. Not thread-safe: one query is in flight at a time.
 */
public final class BlockingIndex {
  private long index;

  /** The index to send, 0 meaning "none: answer at once". */
  public long current() {
    return index;
  }

  /**
   * Applies the {@code X-Consul-Index} header of a successful answer.
   *
   * @throws IllegalArgumentException if the header is missing or not a number (the answer is not
   *     from a Consul health endpoint)
   */
  public void update(String header) {
    long next;
    try {
      next = Long.parseLong(header == null ? "" : header.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("X-Consul-Index must be a number, was '" + header + "'");
    }
    if (next < index) {
      index = 0;
    } else {
      index = Math.max(1, next);
    }
  }

  /** Forgets the index: the next query answers at once. */
  public void reset() {
    index = 0;
  }
}
