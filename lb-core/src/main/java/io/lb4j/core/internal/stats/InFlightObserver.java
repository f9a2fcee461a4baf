package io.lb4j.core.internal.stats;

/**
 * Told by {@link io.lb4j.core.EndpointStats} after each change of its in-flight count, on the thread
 * that changed it; see {@link LiveEndpointStats#observeInFlight}. Implementations run on the
 * pick and completion paths: they must be lock-free, allocation-free and must not throw.
 */
public interface InFlightObserver {

  /** The in-flight count of the observed stats changed; read it again. */
  void inFlightChanged();

  /** Another observer took this one's place on the observed stats. */
  void replaced();
}
