package io.lb4j.kubernetes;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.lb4j.core.discovery.DiscoveryOptions;
import io.lb4j.core.discovery.DiscoveryServerList;
import io.lb4j.core.internal.concurrent.RetryBackoff;
import io.lb4j.kubernetes.internal.EndpointSliceMapper;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server list that follows one Kubernetes Service through its EndpointSlices ({@code
 * discovery.k8s.io/v1}, label {@code kubernetes.io/service-name}) in one namespace, across all of
 * the Service's slices. It lists the slices, then watches them from the list's {@code
 * resourceVersion}; a watch that drops is resumed from the last version seen, and {@code 410 Gone}
 * (the version is too old) makes it list again. This is fabric8's informer, which implements the
 * protocol; this class turns the informer's cache into endpoints after each change.
 *
 * <p>Each address of the chosen {@link AddressFamily} × the chosen port becomes an endpoint with
 * the slice's {@code zone} as {@link io.lb4j.core.Endpoint#zone()}, and {@link #NODE_METADATA}
 * and {@link #POD_METADATA} in its metadata. Ready endpoints take traffic; when none is ready, the
 * ones still serving while terminating do (as kube-proxy); others never.
 *
 * <p>Outages follow {@link DiscoveryServerList}: while the API server is unreachable the last list
 * stays. A dropped watch is first resumed by fabric8 (its reconnect interval is {@link
 * DiscoveryOptions#initialBackoff()}, or, with a {@link Builder#client client} given by the
 * caller, that client's own). On top of that, this list checks the watch on the options'
 * scheduler every {@link DiscoveryOptions#maxBackoff()}: a watch found down counts as a failed
 * query in {@link #status()} and is replaced by a new list and watch, retried with the options'
 * jittered exponential backoff until a list succeeds. This bounds how long a watch that fabric8
 * retries without end (and without reporting it) can leave the list stale, at the cost of one
 * list (a check that falls inside one of fabric8's ordinary reconnects also counts one failure
 * and lists again). A failed list also counts in the status. The last EndpointSlice of a Service being
 * deleted is an empty answer ({@link DiscoveryOptions#emptyAnswers()}).
 *
 * <p>Credentials: by default the client configures itself as fabric8 does — in a pod, from the
 * mounted service-account token and CA ({@code /var/run/secrets/kubernetes.io/serviceaccount});
 * elsewhere from the kubeconfig ({@code $KUBECONFIG} or {@code ~/.kube/config}). Tokens are never
 * logged. Thread-safe; {@link #close()} stops the informer and closes the client if this list
 * created it.
 */
public final class KubernetesServerList extends DiscoveryServerList {
  /** Metadata key holding the node an endpoint runs on (its {@code nodeName}). */
  public static final String NODE_METADATA = "kubernetes.node";
  /** Metadata key holding the pod behind an endpoint (its {@code targetRef.name}). */
  public static final String POD_METADATA = "kubernetes.pod";
  /** The label that ties an EndpointSlice to its Service. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private static final Logger log = LoggerFactory.getLogger(KubernetesServerList.class);

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final String namespace;
  private final String service;
  private final EndpointSliceMapper mapper;
  private final RetryBackoff backoff;
  private final Object publishLock = new Object();
  private final Object informerLock = new Object();
  // Written under informerLock; read without it to publish.
  private volatile SharedIndexInformer<EndpointSlice> informer;
  // Guarded by informerLock.
  private ScheduledFuture<?> nextCheck;

  private KubernetesServerList(Builder builder, KubernetesClient client, String namespace) {
    super("kubernetes service " + namespace + "/" + builder.service, builder.options);
    this.ownsClient = builder.client == null;
    this.client = client;
    this.namespace = namespace;
    this.service = builder.service;
    this.mapper = new EndpointSliceMapper(name(), builder.family, builder.portName);
    this.backoff = RetryBackoff.of(builder.options);
  }

  /** A builder for the list of Service {@code service}, a valid Kubernetes object name. */
  public static Builder builder(String service) {
    return new Builder(service);
  }

  private static KubernetesClient newClient(Config config, DiscoveryOptions options) {
    Config base = config == null ? Config.autoConfigure(null) : config;
    Config withBackoff = new ConfigBuilder(base)
        .withWatchReconnectInterval((int) Math.min(options.initialBackoff().toMillis(), Integer.MAX_VALUE))
        .build();
    return new KubernetesClientBuilder().withConfig(withBackoff).build();
  }

  @Override
  protected void onStart() {
    scheduleCheck(Duration.ZERO);
  }

  /**
   * One step of the loop that keeps a live list+watch: start an informer (it lists, then
   * watches), or find the running one's watch open and look again later, or find it down and
   * replace the informer, which lists again. fabric8 reconnects a dropped watch on its own, but
   * may do so without end and without a word: after a 503 on the WebSocket upgrade it switches to
   * plain HTTP watches, and a server or proxy that refuses those (400) is retried forever from the
   * same resourceVersion, never listing again. A step that finds the watch down counts a failure,
   * so {@link #status()} shows the outage. The next step is scheduled by the outcome of this one
   * (a list's answer or failure), so exactly one is pending at a time.
   */
  private void check() {
    SharedIndexInformer<EndpointSlice> down;
    synchronized (informerLock) {
      if (isClosed()) {
        return;
      }
      SharedIndexInformer<EndpointSlice> current = informer;
      if (current == null) {
        startInformer();
        return;
      }
      if (current.isWatching()) {
        scheduleCheck(options().maxBackoff());
        return;
      }
      down = current;
    }
    ended(down, new IllegalStateException(name() + ": the EndpointSlice watch is not open "
        + "(fabric8 keeps retrying it); listing again"));
  }

  // Called under informerLock.
  private void startInformer() {
    SharedIndexInformer<EndpointSlice> started = client.discovery().v1().endpointSlices()
        .inNamespace(namespace).withLabel(SERVICE_NAME_LABEL, service).runnableInformer(0);
    started.exceptionHandler((isStarted, error) -> {
      ended(started, error);
      return false; // the next check starts a new informer, after this list's backoff
    });
    started.addEventHandler(new ResourceEventHandler<EndpointSlice>() {
      @Override
      public void onAdd(EndpointSlice slice) {
        publish(started);
      }

      @Override
      public void onUpdate(EndpointSlice before, EndpointSlice after) {
        publish(started);
      }

      @Override
      public void onDelete(EndpointSlice slice, boolean finalStateUnknown) {
        publish(started);
      }
    });
    informer = started;
    started.start().whenComplete((done, error) -> {
      if (error != null) {
        ended(started, error);
        return;
      }
      synchronized (informerLock) {
        if (informer != started) {
          return;
        }
        publish(started);
        scheduleCheck(options().maxBackoff());
      }
    });
  }

  /**
   * Records the failure of {@code ended} (its list, or its watch) and schedules the check that
   * starts the next informer after the backoff; ignored if {@code ended} was already replaced.
   */
  private void ended(SharedIndexInformer<EndpointSlice> ended, Throwable error) {
    synchronized (informerLock) {
      if (informer != ended) {
        return;
      }
      informer = null;
    }
    ended.stop();
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    int failures = fail(cause);
    scheduleCheck(Duration.ofNanos(backoff.delayNanos(failures)));
  }

  private void scheduleCheck(Duration delay) {
    synchronized (informerLock) {
      if (isClosed()) {
        return;
      }
      if (nextCheck != null) {
        nextCheck.cancel(false);
      }
      nextCheck = options().scheduler().schedule(this::runCheck, delay.toNanos(),
          TimeUnit.NANOSECONDS);
    }
  }

  private void runCheck() {
    try {
      check();
    } catch (RuntimeException e) {
      log.error("{}: checking the EndpointSlice informer failed", name(), e);
      scheduleCheck(options().maxBackoff());
    }
  }

  /** Whether the current informer's watch is open; for tests. */
  boolean isWatching() {
    SharedIndexInformer<EndpointSlice> current = informer;
    return current != null && current.isWatching();
  }

  // The informer's handler thread and the start future may both publish; under one lock, the one
  // that reads the cache later also accepts later, so an older view never replaces a newer one.
  // A replaced informer's late events are dropped: its cache is no longer the current view.
  private void publish(SharedIndexInformer<EndpointSlice> from) {
    synchronized (publishLock) {
      if (from != informer || !from.hasSynced()) {
        return;
      }
      List<EndpointSlice> slices = from.getStore().list();
      log.debug("{}: {} slices in the informer's cache", name(), slices.size());
      accept(mapper.map(slices));
    }
  }

  @Override
  protected void onClose() {
    SharedIndexInformer<EndpointSlice> current;
    synchronized (informerLock) {
      if (nextCheck != null) {
        nextCheck.cancel(false);
      }
      current = informer;
      informer = null;
    }
    if (current != null) {
      current.stop();
    }
    if (ownsClient) {
      client.close();
    }
  }

  /**
   * Builds a {@link KubernetesServerList}; each setter validates at once. Not thread-safe.
   */
  public static final class Builder {
    private static final Pattern DNS_LABEL =
        Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private final String service;
    private String namespace;
    private String portName;
    private AddressFamily family = AddressFamily.IPV4;
    private KubernetesClient client;
    private Config config;
    private DiscoveryOptions options = DiscoveryOptions.defaults();

    private Builder(String service) {
      this.service = label("service", service);
    }

    private static String label(String field, String value) {
      Objects.requireNonNull(value, field);
      if (!DNS_LABEL.matcher(value).matches()) {
        throw new IllegalArgumentException(field
            + " must be a DNS label (lower-case letters, digits and '-', at most 63), was '"
            + value + "'");
      }
      return value;
    }

    /**
     * The Service's namespace; by default the client's namespace (in a pod, the pod's own, from
     * the mounted service account), else {@code default}.
     */
    public Builder namespace(String namespace) {
      this.namespace = label("namespace", namespace);
      return this;
    }

    /**
     * The port to balance over, by its name in the Service (e.g. {@code "https"}). Without it, each
     * slice must have exactly one port; a slice that does not is skipped with a WARN.
     */
    public Builder portName(String portName) {
      Objects.requireNonNull(portName, "portName");
      if (portName.isBlank()) {
        throw new IllegalArgumentException("portName must not be blank, was '" + portName + "'");
      }
      this.portName = portName;
      return this;
    }

    /** The address family to follow on a dual-stack Service; {@link AddressFamily#IPV4} by default. */
    public Builder addressFamily(AddressFamily family) {
      this.family = Objects.requireNonNull(family, "family");
      return this;
    }

    /**
     * A client this list uses and does not close; its own configuration (credentials, reconnect
     * interval) applies. Excludes {@link #config}.
     */
    public Builder client(KubernetesClient client) {
      Objects.requireNonNull(client, "client");
      if (config != null) {
        throw new IllegalStateException("config was already set; set either client or config");
      }
      this.client = client;
      return this;
    }

    /**
     * The configuration of the client this list creates and closes, e.g. {@code
     * Config.fromKubeconfig(...)}; by default fabric8's auto-configuration (service account in a
     * pod, else the kubeconfig). Its watch reconnect interval is replaced by {@link
     * DiscoveryOptions#initialBackoff()}. Excludes {@link #client}.
     */
    public Builder config(Config config) {
      Objects.requireNonNull(config, "config");
      if (client != null) {
        throw new IllegalStateException("client was already set; set either client or config");
      }
      this.config = config;
      return this;
    }

    /** The shared discovery settings; {@link DiscoveryOptions#defaults()} by default. */
    public Builder options(DiscoveryOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Builds the list and starts following the Service. */
    public KubernetesServerList build() {
      KubernetesClient used = client != null ? client : newClient(config, options);
      String ns = namespace != null ? namespace
          : used.getNamespace() != null ? used.getNamespace() : "default";
      KubernetesServerList list = new KubernetesServerList(this, used, ns);
      list.start();
      return list;
    }
  }
}
