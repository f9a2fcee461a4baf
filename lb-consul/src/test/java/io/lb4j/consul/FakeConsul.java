package io.lb4j.consul;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lb4j.testkit.DiscoverySourceContract.Instance;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;

/**
 * A scripted stand-in for a Consul agent's {@code /v1/health/service/<name>} endpoint on a real
 * loopback HTTP server (mockwebserver3). No Consul server can run here; this replays the response
 * shapes Consul documents ({@code [{Node, Service, Checks}]}, {@code X-Consul-Index}) and the
 * blocking-query behaviour: a request whose {@code index} is current is held until the service
 * changes or its {@code wait} ends. The test sets instances, raw bodies, error answers and the
 * index, and reads back every request.
 */
final class FakeConsul extends Dispatcher implements AutoCloseable {
  static final String SERVICE = "orders";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockWebServer server = new MockWebServer();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private long index = 1;
  private long generation;
  private String body = "[]";
  private int errorCode;
  private String errorBody;
  private boolean closed;
  private boolean dropping;
  private int held;

  static FakeConsul start() throws IOException {
    FakeConsul consul = new FakeConsul();
    consul.server.setDispatcher(consul);
    consul.server.start();
    return consul;
  }

  HttpUrl url() {
    return server.url("/");
  }

  /** The service now has exactly {@code instances}, in Consul's documented entry shape. */
  synchronized void register(List<Instance> instances) {
    body(entries(instances).toString());
  }

  /** The service answers {@code rawBody} from now on, with a new index. */
  synchronized void body(String rawBody) {
    this.body = rawBody;
    changed(index + 1);
  }

  /** From now on every query fails with {@code code} and {@code errorBody}; 0 to answer again. */
  synchronized void failWith(int code, String errorBody) {
    this.errorCode = code;
    this.errorBody = errorBody;
    generation++;
    notifyAll();
  }

  /** Sets the raft index the next answers carry (lower than before: a restored snapshot). */
  synchronized void index(long newIndex) {
    changed(newIndex);
  }

  private void changed(long newIndex) {
    index = newIndex;
    generation++;
    notifyAll();
  }

  /**
   * While on, drops the connection of every held query and of every new request, as an agent that
   * is restarting would (OkHttp retries a dropped connection once by itself; this outlasts that).
   */
  synchronized void dropConnections(boolean drop) {
    this.dropping = drop;
    notifyAll();
  }

  /** How many requests are held right now (blocking queries waiting for a change). */
  synchronized int held() {
    return held;
  }

  List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public synchronized MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    requests.add(request);
    if (!request.getUrl().encodedPath().equals("/v1/health/service/" + SERVICE)) {
      return new MockResponse.Builder().code(404).body("unknown path").build();
    }
    String askedIndex = request.getUrl().queryParameter("index");
    long asked = askedIndex == null ? 0 : Long.parseLong(askedIndex);
    long deadline = System.nanoTime() + waitMillis(request) * 1_000_000L;
    long startGeneration = generation;
    held++;
    try {
      while (asked > 0 && asked >= index && generation == startGeneration && !closed
          && errorCode == 0 && !dropping) {
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000L;
        if (remainingMillis <= 0) {
          break;
        }
        wait(remainingMillis);
      }
    } finally {
      held--;
    }
    if (dropping) {
      return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
    }
    if (errorCode != 0) {
      return new MockResponse.Builder().code(errorCode).body(errorBody).build();
    }
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
        .setHeader("X-Consul-Index", Long.toString(index))
        .setHeader("X-Consul-Knownleader", "true").setHeader("X-Consul-Lastcontact", "0")
        .body(body).build();
  }

  private static long waitMillis(RecordedRequest request) {
    String wait = request.getUrl().queryParameter("wait");
    if (wait == null) {
      return 5 * 60_000L;
    }
    return wait.endsWith("ms") ? Long.parseLong(wait.substring(0, wait.length() - 2))
        : Long.parseLong(wait.substring(0, wait.length() - 1)) * 1000;
  }

  /** One documented health entry per instance: odd ones leave Service.Address empty. */
  static ArrayNode entries(List<Instance> instances) {
    ArrayNode entries = JSON.createArrayNode();
    for (int i = 0; i < instances.size(); i++) {
      entries.add(entry(instances.get(i), i % 2 == 1));
    }
    return entries;
  }

  static ObjectNode entry(Instance instance, boolean addressOnNodeOnly) {
    ObjectNode entry = JSON.createObjectNode();
    ObjectNode node = entry.putObject("Node");
    node.put("ID", "40e4a748-2192-161a-0510-9bf59fe950b5");
    node.put("Node", nodeName(instance));
    node.put("Address", instance.host());
    node.put("Datacenter", "dc1");
    node.putObject("TaggedAddresses").put("lan", instance.host()).put("wan", instance.host());
    node.putObject("Meta").put("consul-network-segment", "");
    ObjectNode service = entry.putObject("Service");
    service.put("ID", serviceId(instance));
    service.put("Service", SERVICE);
    service.putArray("Tags").add("v2").add("primary");
    service.put("Address", addressOnNodeOnly ? "" : instance.host());
    service.putObject("Meta").put("version", "2.1.0");
    service.put("Port", instance.port());
    service.putObject("Weights").put("Passing", instance.weight()).put("Warning", 1);
    service.put("EnableTagOverride", false);
    service.put("CreateIndex", 12).put("ModifyIndex", 12);
    ArrayNode checks = entry.putArray("Checks");
    checks.addObject().put("Node", nodeName(instance)).put("CheckID", "serfHealth")
        .put("Name", "Serf Health Status").put("Status", "passing")
        .put("Output", "Agent alive and reachable").put("ServiceID", "").put("ServiceName", "");
    checks.addObject().put("Node", nodeName(instance)).put("CheckID", "service:" + serviceId(instance))
        .put("Name", "Service 'orders' check").put("Status", "passing")
        .put("Output", "HTTP GET http://" + instance.host() + ":" + instance.port()
            + "/health: 200 OK").put("ServiceID", serviceId(instance)).put("ServiceName", SERVICE);
    return entry;
  }

  static String nodeName(Instance instance) {
    return "node-" + instance.host().replace('.', '-');
  }

  static String serviceId(Instance instance) {
    return SERVICE + "-" + instance.port();
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    server.close();
  }
}
