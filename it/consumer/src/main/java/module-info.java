/**
 * A user's service as a named module: it compiles against lb4j's exported packages only, so a
 * README snippet that reaches into an internal package fails this build.
 */
module com.example.consumer {
  requires io.lb4j.okhttp;
  requires io.lb4j.micrometer;
  requires io.github.resilience4j.micrometer;

  exports com.example.consumer;
}
