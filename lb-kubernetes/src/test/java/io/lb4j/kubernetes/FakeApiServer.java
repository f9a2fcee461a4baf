package io.lb4j.kubernetes;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import org.awaitility.core.ConditionTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fabric8's Kubernetes API server implementation in CRUD mode (objects are stored, listed and
 * watched over real HTTP and WebSockets on loopback), plus what a test needs to make it fail: go
 * down (open watches cut, every request answered 503) and come back with the same objects, refuse
 * watches alone (503), and answer the next watches with {@code 410 Gone}. Not a mock of lb4j's code: the source talks to it
 * through the real fabric8 client.
 */
final class FakeApiServer implements AutoCloseable {
  static final String NAMESPACE = "shop";
  static final String SERVICE = "orders";

  // One store for every run of the server, so resource versions keep growing across restarts as
  // a real API server's do (a watch resumed from an old version then stays valid).
  private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
  private final AtomicInteger goneWatches = new AtomicInteger();
  private volatile boolean holdSource;
  private volatile boolean down;
  private volatile boolean refuseWatches;
  private final AtomicInteger refusedWatches = new AtomicInteger();
  private final Set<WebSocket> openSockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger goneWatchesServed = new AtomicInteger();
  private volatile String lastSourceRequest = "";
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Dispatcher dispatcher = new Dispatcher() {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      requests.add(request.getMethod() + " " + path);
      if (down) {
        return unavailable();
      }
      if (refuseWatches && path.contains("watch=true")) {
        refusedWatches.incrementAndGet();
        return unavailable();
      }
      if (path.contains("labelSelector=")) {
        if (holdSource) {
          return unavailable();
        }
        lastSourceRequest = path;
      }
      if (path.contains("watch=true") && goneWatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return new MockResponse().withWebSocketUpgrade(new GoneWatch(true));
      }
      MockResponse response = crud.dispatch(request);
      if (path.contains("watch=true") && response.code() == 400) {
        // The CRUD server cannot resume a watch from a version older than the object's (it keeps
        // no history) and answers 400; a real API server replays the missed events, or says 410
        // when its history no longer reaches back. Say 410, so the client lists again.
        return new MockResponse().withWebSocketUpgrade(new GoneWatch(false));
      }
      WebSocketListener watch = response.getWebSocketListener();
      return watch == null ? response : response.withWebSocketUpgrade(new CountingWatch(watch));
    }
  };
  /** {@code 503 Service Unavailable} with a Status body, as an API server answers. */
  private static MockResponse unavailable() {
    return new MockResponse().setResponseCode(503)
        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
            + "\"code\":503}");
  }

  private static final ScheduledExecutorService RELEASE = Executors.newSingleThreadScheduledExecutor(
      runnable -> {
        Thread thread = new Thread(runnable, "fake-api-server-release");
        thread.setDaemon(true);
        return thread;
      });
  private final AtomicInteger openWatches = new AtomicInteger();
  private final List<Runnable> held = new ArrayList<>();
  private int holds; // changes whose events are still held; guarded by held
  private final int port;
  private final KubernetesClient admin;
  private KubernetesMockServer server;

  private FakeApiServer() {
    server = newServer();
    server.start(0);
    port = server.getPort();
    // After a watch client disconnects, the CRUD server can stall requests for seconds while it
    // cleans up (its watch listener waits for its executor): the test's own changes wait it out.
    admin = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(config()).withRequestTimeout(60_000).build()).build();
  }

  static FakeApiServer start() {
    return new FakeApiServer();
  }

  private KubernetesMockServer newServer() {
    return new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher,
        false);
  }

  /** A client configuration for this server: plain HTTP on loopback, no credentials. */
  Config config() {
    return new ConfigBuilder(Config.empty()).withMasterUrl("http://localhost:" + port)
        .withNamespace(NAMESPACE).withRequestRetryBackoffLimit(0)
        // Plain-HTTP h2c upgrades of the JDK client break WebSocket watches on this server.
        .withHttp2Disable(true).build();
  }

  /** A client of this server for a source under test; the caller closes it. */
  KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  /**
   * Creates or replaces {@code slice} (one API call, so one watch event). This server keeps no
   * event history (a real one replays events since the watch's resourceVersion), so a change
   * between a source's list and its watch would be lost: if a source has listed, wait until its
   * watch is open first.
   */
  void apply(EndpointSlice slice) {
    awaitWatchOfAListingSource();
    holdEvents();
    try {
      admin.resource(slice).inNamespace(NAMESPACE).createOr(existing -> existing.update());
    } finally {
      releaseEvents();
    }
    holdSource = false;
  }

  /** Deletes the slice {@code sliceName}, once a source that listed has its watch open. */
  void delete(String sliceName) {
    awaitWatchOfAListingSource();
    holdEvents();
    try {
      admin.discovery().v1().endpointSlices().inNamespace(NAMESPACE).withName(sliceName).delete();
    } finally {
      releaseEvents();
    }
  }

  private void awaitWatchOfAListingSource() {
    try {
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
          .until(() -> lastSourceRequest.isEmpty() || openWatches.get() > 0);
    } catch (ConditionTimeoutException noWatch) {
      // A source closed before its watch opened has no watch to wait for: change anyway.
    }
  }

  /** Waits until a watch is open (its WebSocket accepted), so that {@link #dropWatches} ends it. */
  void awaitOpenWatch() {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
        .until(() -> !openSockets.isEmpty());
  }

  /** Ends every open watch from the server's side, as an API server does at its watch timeout. */
  void dropWatches() {
    for (WebSocket socket : openSockets) {
      socket.close(1000, "watch ended");
    }
  }

  /** Takes the API server down: open watches are cut, every request fails with 503. */
  void stop() {
    down = true;
    lastSourceRequest = "";
    for (WebSocket socket : openSockets) {
      socket.close(1011, "API server going down");
    }
  }

  /**
   * Brings the API server back with the same objects; the source's lists and watches are still
   * refused (503) until the next {@link #apply}, so it cannot see a state the test is about to
   * change.
   */
  void restart() {
    holdSource = true;
    lastSourceRequest = "";
    down = false;
  }

  /** Brings the API server back with the same objects, answering everyone at once. */
  void recover() {
    lastSourceRequest = "";
    down = false;
  }

  private void shutdownQuietly() {
    try {
      server.shutdown();
    } catch (IllegalStateException alreadyStopped) {
      // shutting down a stopped server is what we want
    }
  }

  /**
   * Whether watches are refused with {@code 503} (lists still answered). fabric8 takes a 503 on
   * the WebSocket upgrade as "WebSockets not supported" and goes on with plain HTTP watches, which
   * this server cannot serve (it answers them {@code 400}), so a client that was refused keeps
   * retrying a watch that never opens, even after this is switched off: as against an API server
   * behind a proxy that refuses one kind of watch.
   */
  void refuseWatches(boolean refuse) {
    refuseWatches = refuse;
  }

  /** How many watches were refused by {@link #refuseWatches}. */
  int refusedWatches() {
    return refusedWatches.get();
  }

  /** The next {@code count} watches are answered with a {@code 410 Gone} event. */
  void answerGoneToNextWatches(int count) {
    goneWatches.set(count);
  }

  /** How many watches were answered with a 410 Gone event. */
  int goneWatchesServed() {
    return goneWatchesServed.get();
  }

  /** Whether {@code request} (as in {@link #requests()}) is a source's list, not a watch. */
  static boolean isSourceList(String request) {
    return request.startsWith("GET") && request.contains("labelSelector=")
        && !request.contains("watch=true");
  }

  /** Every request received so far, as {@code "GET /apis/..."}. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    admin.close();
    shutdownQuietly();
  }

  /** A slice of {@link #SERVICE} with one port named {@code http}. */
  static EndpointSliceBuilder slice(String name, int port, Endpoint... endpoints) {
    return new EndpointSliceBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
        .addToLabels(KubernetesServerList.SERVICE_NAME_LABEL, SERVICE).endMetadata()
        .withAddressType("IPv4").addNewPort().withName("http").withPort(port).withProtocol("TCP")
        .endPort().withEndpoints(endpoints);
  }

  /** An endpoint of pod {@code pod} at {@code address} with the given conditions. */
  static Endpoint endpoint(String address, String pod, boolean ready, boolean serving,
      boolean terminating) {
    return new EndpointBuilder().withAddresses(address).withNewConditions().withReady(ready)
        .withServing(serving).withTerminating(terminating).endConditions()
        .withNodeName("node-" + pod).withZone("zone-a")
        .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withName(pod)
            .withNamespace(NAMESPACE).build())
        .build();
  }

  /**
   * A watch whose resourceVersion is too old, answered as an API server does: an {@code ERROR}
   * event carrying a {@code 410 Gone} Status, then the stream ends.
   */
  private final class GoneWatch extends WebSocketListener {
    private final boolean asked;

    /** @param asked whether the test asked for it ({@link #answerGoneToNextWatches}) */
    GoneWatch(boolean asked) {
      this.asked = asked;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      webSocket.send("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
          + "\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410,"
          + "\"message\":\"too old resource version\"}}");
      if (asked) {
        goneWatchesServed.incrementAndGet();
      }
      webSocket.close(1000, "gone");
    }
  }

  /**
   * A watch's socket whose events wait while {@link #apply} is changing the store, and a moment
   * after: the CRUD server sends them before it answers the change, and a test counts a source's
   * answers after the change returns, so an event delivered earlier would be counted as old.
   */
  private final class HeldEvents implements WebSocket {
    private final WebSocket socket;

    HeldEvents(WebSocket socket) {
      this.socket = socket;
    }

    @Override
    public RecordedRequest request() {
      return socket.request();
    }

    @Override
    public boolean send(String text) {
      synchronized (held) {
        if (holds > 0) {
          held.add(() -> socket.send(text));
          return true;
        }
      }
      return socket.send(text);
    }

    @Override
    public boolean send(byte[] bytes) {
      synchronized (held) {
        if (holds > 0) {
          held.add(() -> socket.send(bytes));
          return true;
        }
      }
      return socket.send(bytes);
    }

    @Override
    public boolean close(int code, String reason) {
      return socket.close(code, reason);
    }
  }

  private void holdEvents() {
    synchronized (held) {
      holds++;
    }
  }

  /**
   * Sends the held events shortly after the change returned: a test counts its source's answers
   * right after the change, and must read the count before the event arrives. Events are held
   * until the last change's release: the release of an earlier change (a test often makes two
   * within 300 ms) must not send a later change's events before that change's call returns.
   */
  private void releaseEvents() {
    RELEASE.schedule(this::sendHeldEvents, 300, TimeUnit.MILLISECONDS);
  }

  private void sendHeldEvents() {
    List<Runnable> sends;
    synchronized (held) {
      if (--holds > 0) {
        return;
      }
      sends = new ArrayList<>(held);
      held.clear();
    }
    sends.forEach(Runnable::run);
  }

  /** Counts open watches: the CRUD server registers a watcher when its WebSocket opens. */
  private final class CountingWatch extends WebSocketListener {
    private final WebSocketListener delegate;

    CountingWatch(WebSocketListener delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
      delegate.onBeforeAccept(webSocket, response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      delegate.onOpen(new HeldEvents(webSocket), response);
      openSockets.add(webSocket);
      openWatches.incrementAndGet();
      if (down) {
        // Accepted just before the server went down, opened after stop() cut the open ones.
        webSocket.close(1011, "API server going down");
      }
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      delegate.onMessage(webSocket, text);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      delegate.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      openSockets.remove(webSocket);
      ended();
      offEventLoop(() -> delegate.onClosed(webSocket, code, reason));
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
      openSockets.remove(webSocket);
      ended();
      offEventLoop(() -> delegate.onFailure(webSocket, failure, response));
    }

    // The CRUD server's watch listener waits for its executor to terminate when a watch ends;
    // on the server's only event loop that stalls every other request for seconds.
    private void offEventLoop(Runnable cleanup) {
      CompletableFuture.runAsync(cleanup);
    }

    private void ended() {
      if (openWatches.decrementAndGet() <= 0) {
        lastSourceRequest = ""; // the source's watch ended: nobody to wait for until it lists
      }
    }
  }

  static Endpoint ready(String address, String pod) {
    return endpoint(address, pod, true, true, false);
  }
}
