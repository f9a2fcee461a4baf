package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A membership change already on its way when the balancer closes (the Subscription contract
 * allows such a delivery) changes nothing: members, stats and membership listeners stay as they
 * were at closing, as close() promises (before the fix they moved on).
 */
class LoadBalancerLateDeliveryTest {
  private static final Endpoint A = Endpoint.of("a", 1);
  private static final Endpoint B = Endpoint.of("b", 1);

  @Test
  void aDeliveryInFlightWhenClosingChangesNothing() {
    AtomicReference<ServerList.Listener> delivered = new AtomicReference<>();
    ServerList source = new ServerList() {
      @Override
      public List<Endpoint> endpoints() {
        return List.of(A);
      }

      @Override
      public Subscription subscribe(Listener listener) {
        delivered.set(listener); // keeps delivering: a notification in flight at close()
        return () -> { };
      }
    };
    LoadBalancer lb = LoadBalancer.builder(source).name("orders").build();
    delivered.get().onChange(List.of(A));
    List<List<Endpoint>> seenAfterClose = new CopyOnWriteArrayList<>();
    lb.subscribeMembership(members -> seenAfterClose.add(members));
    seenAfterClose.clear();

    lb.close();
    delivered.get().onChange(List.of(B));

    assertThat(lb.endpoints()).as("members after close").containsExactly(A);
    assertThat(lb.stats("a:1")).as("A's stats after close").isPresent();
    assertThat(seenAfterClose).as("membership listeners told after close").isEmpty();
  }
}
