package io.lb4j.consul;

import io.lb4j.consul.internal.BlockingIndex;
import io.lb4j.consul.internal.HealthServiceParser;
import io.lb4j.core.discovery.DiscoveryOptions;
import io.lb4j.core.discovery.DiscoveryServerList;
import io.lb4j.core.discovery.PollingServerList;
import io.lb4j.core.discovery.RegistryAnswer;
import io.lb4j.core.internal.Arguments;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A server list that follows one service in Consul through its health API: {@code GET
 * /v1/health/service/<name>?passing=true}, so only instances whose checks all pass are listed.
 * It uses blocking queries: each query sends the {@code index} of the previous answer and a
 * {@link Builder#wait wait}, and Consul holds it until the service changes or the wait ends; an
 * index that goes backwards is reset, and the loop is rate-limited to one query per {@link
 * Builder#minQueryInterval} so a flapping service cannot make it spin. Optional ACL token ({@code
 * X-Consul-Token} header), datacenter ({@code dc}) and tag ({@code tag}) filters.
 *
 * <p>Each instance becomes an endpoint at {@code Service.Address} (or {@code Node.Address} when the
 * service has none) and {@code Service.Port}, with weight {@code Weights.Passing}. Malformed entries
 * (no address, a port out of range, weight 0 or above {@link io.lb4j.core.Endpoint#MAX_WEIGHT}) are
 * skipped one by one with a WARN; an answer that is not JSON, an HTTP error or a lost connection
 * fails the query and keeps the last list ({@link DiscoveryServerList}'s rules).
 *
 * <p>Requests go through OkHttp's asynchronous calls: no thread waits on a blocking query. Thread-
 * safe; {@link #close()} cancels the query in flight.
 */
public final class ConsulServerList extends PollingServerList {
  /** Metadata key holding the instance's {@code Service.ID}. */
  public static final String ID_METADATA = "consul.id";
  /** Metadata key holding the name of the instance's node ({@code Node.Node}). */
  public static final String NODE_METADATA = "consul.node";
  /** Metadata key holding the instance's {@code Service.Tags}, comma-separated. */
  public static final String TAGS_METADATA = "consul.tags";
  private static final String TOKEN_HEADER = "X-Consul-Token";
  private static final String INDEX_HEADER = "X-Consul-Index";

  private final HttpUrl baseUrl;
  private final String token;
  private final Duration wait;
  private final Duration minQueryInterval;
  private final OkHttpClient client;
  private final boolean ownsClient;
  private final HealthServiceParser parser;
  private final BlockingIndex index = new BlockingIndex();
  private volatile Call inFlight;

  private ConsulServerList(Builder builder, String name) {
    super(name, builder.options);
    HttpUrl.Builder url = builder.agent.newBuilder().addPathSegments("v1/health/service")
        .addPathSegment(builder.service).addQueryParameter("passing", "true");
    if (builder.datacenter != null) {
      url.addQueryParameter("dc", builder.datacenter);
    }
    for (String tag : builder.tags) {
      url.addQueryParameter("tag", tag);
    }
    this.baseUrl = url.build();
    this.token = builder.token;
    this.wait = builder.wait;
    this.minQueryInterval = builder.minQueryInterval;
    this.ownsClient = builder.client == null;
    OkHttpClient base = ownsClient ? new OkHttpClient() : builder.client;
    // Consul adds up to wait/16 of jitter to a blocking query; the read timeout must outlast both.
    this.client = base.newBuilder().readTimeout(wait.plus(wait.dividedBy(16)).plusSeconds(10))
        .build();
    this.parser = new HealthServiceParser(name);
  }

  /** A builder for the service named {@code service} in Consul's catalog. */
  public static Builder builder(String service) {
    return new Builder(service);
  }

  @Override
  protected CompletionStage<RegistryAnswer> query() {
    long startedMillis = options().clock().millis();
    long sentIndex = index.current();
    HttpUrl url = sentIndex == 0 ? baseUrl : baseUrl.newBuilder()
        .addQueryParameter("index", Long.toString(sentIndex))
        .addQueryParameter("wait", wait.toMillis() + "ms").build();
    Request.Builder request = new Request.Builder().url(url).get();
    if (token != null) {
      request.header(TOKEN_HEADER, token);
    }
    CompletableFuture<RegistryAnswer> answer = new CompletableFuture<>();
    Call call = client.newCall(request.build());
    inFlight = call;
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        index.reset();
        answer.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          answer.complete(read(response, startedMillis));
        } catch (IOException | RuntimeException e) {
          index.reset();
          answer.completeExceptionally(e);
        }
      }
    });
    return answer;
  }

  private RegistryAnswer read(Response response, long startedMillis) throws IOException {
    String body = response.body().string();
    if (!response.isSuccessful()) {
      throw new IOException("HTTP " + response.code() + " from " + response.request().url()
          + ": " + (body.length() > 200 ? body.substring(0, 200) + "…" : body));
    }
    RegistryAnswer.Builder answer = parser.parse(body);
    index.update(response.header(INDEX_HEADER));
    long elapsed = Math.max(0, options().clock().millis() - startedMillis);
    Duration untilNext = minQueryInterval.minusMillis(elapsed);
    return answer.refreshAfter(untilNext.isNegative() ? Duration.ZERO : untilNext).build();
  }

  @Override
  protected void onClose() {
    Call call = inFlight;
    if (call != null) {
      call.cancel();
    }
    if (ownsClient) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  /** Builds and starts a {@link ConsulServerList}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private final String service;
    private HttpUrl agent = HttpUrl.get("http://127.0.0.1:8500/");
    private String token;
    private String datacenter;
    private final List<String> tags = new ArrayList<>();
    private Duration wait = Duration.ofMinutes(1);
    private Duration minQueryInterval = Duration.ofSeconds(1);
    private OkHttpClient client;
    private DiscoveryOptions options = DiscoveryOptions.defaults();

    private Builder(String service) {
      Objects.requireNonNull(service, "service");
      if (service.isBlank()) {
        throw new IllegalArgumentException("service must not be blank, was '" + service + "'");
      }
      this.service = service;
    }

    /** The Consul agent's HTTP address; default {@code http://127.0.0.1:8500/}. */
    public Builder agent(HttpUrl agent) {
      this.agent = Objects.requireNonNull(agent, "agent");
      return this;
    }

    /** @see #agent(HttpUrl) */
    public Builder agent(String agent) {
      Objects.requireNonNull(agent, "agent");
      HttpUrl url = HttpUrl.parse(agent);
      if (url == null) {
        throw new IllegalArgumentException("agent must be an http or https URL, was '" + agent + "'");
      }
      return agent(url);
    }

    /** The ACL token sent as {@code X-Consul-Token}; never logged. Default: none. */
    public Builder token(String token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** Asks for the service in this datacenter ({@code dc}); default: the agent's own. */
    public Builder datacenter(String datacenter) {
      this.datacenter = Objects.requireNonNull(datacenter, "datacenter");
      return this;
    }

    /** Keeps only instances carrying {@code tag}; call again to require several tags. */
    public Builder tag(String tag) {
      tags.add(Objects.requireNonNull(tag, "tag"));
      return this;
    }

    /**
     * How long Consul may hold a blocking query when nothing changes; in (0, 10 min], Consul's
     * maximum. Default 1 min.
     */
    public Builder wait(Duration wait) {
      Arguments.positive(wait, "wait");
      if (wait.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("wait must be <= PT10M (Consul's maximum), was " + wait);
      }
      this.wait = wait;
      return this;
    }

    /**
     * The least time between the starts of two queries, so a service that changes constantly does
     * not turn the loop into a busy one; default 1 s.
     */
    public Builder minQueryInterval(Duration interval) {
      this.minQueryInterval = Arguments.positive(interval, "minQueryInterval");
      return this;
    }

    /**
     * The OkHttp client to share (its connection pool and dispatcher); a copy with a read timeout
     * longer than {@link #wait} is used. Default: a client of its own, shut down on close.
     */
    public Builder client(OkHttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Readiness, backoff, empty-answer policy and scheduler; default {@link DiscoveryOptions#defaults()}. */
    public Builder options(DiscoveryOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Builds the list and sends its first query. */
    public ConsulServerList build() {
      String name = "consul service " + service + (datacenter == null ? "" : " dc " + datacenter)
          + (tags.isEmpty() ? "" : " tags " + tags);
      ConsulServerList list = new ConsulServerList(this, name);
      list.start();
      return list;
    }
  }
}
