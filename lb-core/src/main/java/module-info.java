/**
 * lb4j's core: endpoints, server lists, health tracking and every selection algorithm, behind
 * {@link io.lb4j.core.LoadBalancer}. Exports the API ({@code io.lb4j.core}) and the base for
 * discovery sources ({@code io.lb4j.core.discovery}); the implementation packages under {@code
 * io.lb4j.core.internal} are exported only to lb4j's own discovery and OkHttp modules, which share
 * its argument checks and backoff.
 */
module io.lb4j.core {
  requires com.github.benmanes.caffeine;
  requires org.slf4j;

  exports io.lb4j.core;
  exports io.lb4j.core.discovery;
  exports io.lb4j.core.internal to
      io.lb4j.consul,
      io.lb4j.dns,
      io.lb4j.okhttp;
  exports io.lb4j.core.internal.concurrent to
      io.lb4j.kubernetes,
      io.lb4j.zookeeper;
}
