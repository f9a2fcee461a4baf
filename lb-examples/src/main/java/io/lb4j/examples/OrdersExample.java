package io.lb4j.examples;

import io.lb4j.core.Subscription;
import io.lb4j.examples.InventoryClient.StockReply;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.StringJoiner;

/**
 * A microservice-shaped example: the "orders" service asks the "inventory" service for stock
 * before each order. Inventory runs as three instances (two in the client's zone, one in another),
 * started here on ephemeral loopback ports; the client is configured from
 * {@code inventory-client.properties} the way a real service would be, and keeps its calls in its
 * own zone. Calls go through OkHttp wrapped by lb4j ({@link InventoryClient}); the configured attempt
 * budget and timeout go to lb4j's interceptor and OkHttp. Halfway through, one instance crashes:
 * calls that pick it fail over to another instance within the same call (the interceptor's retry),
 * so every order still gets its answer; after five failures in a row the health tracker ejects the
 * instance, and with only half of the local zone left, traffic spills over to the other zone. For
 * each call that failed over, it prints the call's trace: every attempt, where it went and how it
 * ended.
 *
 * <p>Run it: {@code mvn -q -B -pl lb-examples -am compile exec:java
 * -Dexample=io.lb4j.examples.OrdersExample}.
 */
public final class OrdersExample {
  static final String CRASHING = "inventory-2";

  private OrdersExample() {}

  /** What happened, for tests. */
  record Outcome(List<StockReply> beforeCrash, List<StockReply> afterCrash, int crashedServedBefore) {}

  public static void main(String[] args) throws IOException {
    run(System.out, 8, 12);
  }

  static Outcome run(PrintStream out, int ordersBefore, int ordersAfter) throws IOException {
    List<InventoryBackend> backends = List.of(
        InventoryBackend.start("inventory-1"), InventoryBackend.start(CRASHING), InventoryBackend.start("inventory-3"));
    try {
      Properties properties = InventoryClientConfig.loadResource("/inventory-client.properties");
      // A deployment writes this line in the file; here the instances' ports are only known now.
      properties.setProperty("inventory.instances", instances(backends));
      InventoryClientConfig config = InventoryClientConfig.fromProperties(properties);
      out.printf(Locale.ROOT, "orders (zone %s) -> %s via %s, %d attempts per call, %d ms timeout%n",
          config.zone(), config.service(), config.algorithm().name(), config.maxAttempts(), config.timeout().toMillis());
      config.instances().forEach(instance -> out.println("  " + instance));

      try (InventoryClient inventory = new InventoryClient(config);
          Subscription events = inventory.loadBalancer().healthTracker().subscribeEvents(event ->
              out.println("  [health] " + event.type() + event.endpoint().map(e -> " " + e.id()).orElse("")
                  + ": " + event.detail()))) {
        out.println();
        out.println("all instances up:");
        List<StockReply> before = placeOrders(out, inventory, 0, ordersBefore);
        InventoryBackend crashing = backends.get(1);
        int crashedServedBefore = crashing.served();
        crashing.close();
        out.println();
        out.println(CRASHING + " crashed (its port now refuses connections):");
        List<StockReply> after = placeOrders(out, inventory, ordersBefore, ordersAfter);
        long failedOver = after.stream().filter(reply -> reply.attempts() > 1).count();
        out.printf(Locale.ROOT, "%n%d of %d orders after the crash failed over within the call; none was lost.%n",
            failedOver, after.size());
        return new Outcome(before, after, crashedServedBefore);
      }
    } finally {
      backends.forEach(InventoryBackend::close);
    }
  }

  private static List<StockReply> placeOrders(PrintStream out, InventoryClient inventory, int first, int count)
      throws IOException {
    List<StockReply> replies = new ArrayList<>(count);
    for (int order = first; order < first + count; order++) {
      StockReply reply = inventory.stock("sku-" + order);
      replies.add(reply);
      out.printf(Locale.ROOT, "  order %2d: %-7s stock %2d from %-12s%s%n", order, reply.sku(), reply.quantity(),
          reply.servedBy(), reply.attempts() > 1 ? "  (tried " + String.join(" then ", reply.tried()) + ")" : "");
      if (reply.attempts() > 1) {
        // The call's trace, as lb4j's interceptor attached it to the response: each attempt's fate.
        reply.trace().attempts().forEach(attempt -> out.println("      " + attempt));
      }
    }
    return replies;
  }

  private static String instances(List<InventoryBackend> backends) {
    StringJoiner joined = new StringJoiner(", ");
    for (int i = 0; i < backends.size(); i++) {
      InventoryBackend backend = backends.get(i);
      joined.add(backend.host() + ":" + backend.port() + ";id=" + backend.name() + ";zone=" + (i < 2 ? "eu-west-1a" : "eu-west-1b"));
    }
    return joined.toString();
  }
}
