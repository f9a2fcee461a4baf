/**
 * Micrometer meters for lb4j's balancers, interceptors and discovery sources. Exports {@code
 * io.lb4j.micrometer} only. lb-okhttp and resilience4j-micrometer are optional, as in the POM:
 * only {@code InterceptorMetrics} needs them, and a modular application that uses it requires
 * them itself.
 */
module io.lb4j.micrometer {
  requires transitive io.lb4j.core;
  requires transitive micrometer.core;
  requires static io.lb4j.okhttp;
  requires static io.github.resilience4j.micrometer;

  exports io.lb4j.micrometer;
}
