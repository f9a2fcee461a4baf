package io.lb4j.core.internal.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sources holding one endpoint out in one way (operators' hard marks, or detectors' soft
 * verdicts), each with the reason it gave first, in the order they came. Changed only under the
 * tracker's lock; each change publishes a new unmodifiable map through a volatile field, so readers
 * take no lock.
 */
final class SourceHolds {
  private volatile Map<String, String> bySource = Map.of();

  /** Every source with its reason, in the order they came; unmodifiable, never changes later. */
  Map<String, String> asMap() {
    return bySource;
  }

  boolean isEmpty() {
    return bySource.isEmpty();
  }

  /** Adds {@code source}'s hold; returns false, keeping the first reason, if it holds already. */
  boolean add(String source, String reason) {
    Map<String, String> current = bySource;
    if (current.containsKey(source)) {
      return false;
    }
    Map<String, String> next = new LinkedHashMap<>(current);
    next.put(source, reason);
    bySource = Collections.unmodifiableMap(next);
    return true;
  }

  /** Lifts {@code source}'s hold; returns false if it held none. */
  boolean lift(String source) {
    Map<String, String> current = bySource;
    if (!current.containsKey(source)) {
      return false;
    }
    Map<String, String> next = new LinkedHashMap<>(current);
    next.remove(source);
    bySource = next.isEmpty() ? Map.of() : Collections.unmodifiableMap(next);
    return true;
  }
}
