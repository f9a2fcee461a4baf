/**
 * lb4j discovery from Consul's health API, with blocking queries. Exports {@code io.lb4j.consul}
 * only; its builder takes an OkHttp client, so OkHttp is required transitively.
 */
module io.lb4j.consul {
  requires transitive io.lb4j.core;
  requires transitive okhttp3;
  requires com.fasterxml.jackson.databind;

  exports io.lb4j.consul;
}
