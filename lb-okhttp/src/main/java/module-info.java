/**
 * lb4j for OkHttp: an interceptor that sends each call to the instance lb4j picks, with retries and
 * per-instance circuit breakers. Exports {@code io.lb4j.okhttp} only; its API names types of lb4j's
 * core, OkHttp and Resilience4j, so those modules are required transitively.
 */
module io.lb4j.okhttp {
  requires transitive io.lb4j.core;
  requires transitive okhttp3;
  requires transitive io.github.resilience4j.circuitbreaker;
  requires transitive io.github.resilience4j.core;
  requires org.slf4j;

  exports io.lb4j.okhttp;
}
