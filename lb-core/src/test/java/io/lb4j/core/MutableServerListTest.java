package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MutableServerListTest {
  private static final Endpoint A = Endpoint.of("a", 1);
  private static final Endpoint B = Endpoint.of("b", 1);
  private static final Endpoint C = Endpoint.of("c", 1);

  private final List<List<Endpoint>> seen = new CopyOnWriteArrayList<>();

  @Test
  void subscribingReplaysTheCurrentSnapshot() {
    MutableServerList list = MutableServerList.of(A, B);
    list.subscribe(seen::add);
    assertThat(seen).containsExactly(List.of(A, B));
  }

  @Test
  void listenersAreNotifiedOncePerChangeInOrder() {
    MutableServerList list = MutableServerList.of(A);
    list.subscribe(seen::add);
    assertThat(list.add(B)).isTrue();
    assertThat(list.remove("a:1")).isTrue();
    assertThat(list.replaceAll(List.of(C))).isTrue();
    assertThat(seen).containsExactly(List.of(A), List.of(A, B), List.of(B), List.of(C));
  }

  @Test
  void noOpChangesPublishNothing() {
    MutableServerList list = MutableServerList.of(A, B);
    list.subscribe(seen::add);
    assertThat(list.add(Endpoint.of("a", 1))).isFalse();
    assertThat(list.remove("absent")).isFalse();
    assertThat(list.replaceAll(List.of(A, B))).isFalse();
    assertThat(seen).containsExactly(List.of(A, B));
  }

  @Test
  void closedSubscriptionReceivesNothingMore() {
    MutableServerList list = MutableServerList.of(A);
    Subscription subscription = list.subscribe(seen::add);
    subscription.close();
    subscription.close();
    list.add(B);
    assertThat(seen).containsExactly(List.of(A));
  }

  @Test
  void throwingListenerDoesNotStopTheOthers() {
    MutableServerList list = MutableServerList.of(A);
    List<List<Endpoint>> before = new ArrayList<>();
    list.subscribe(before::add);
    list.subscribe(endpoints -> {
      throw new IllegalStateException("listener bug");
    });
    list.subscribe(seen::add);
    list.add(B);
    assertThat(before).containsExactly(List.of(A), List.of(A, B));
    assertThat(seen).containsExactly(List.of(A), List.of(A, B));
    assertThat(list.endpoints()).containsExactly(A, B);
  }

  @Test
  void duplicateIdsAreRejectedNamingTheIdAndChangeNothing() {
    Endpoint otherA = Endpoint.builder("x", 9).id("a:1").build();
    assertThatThrownBy(() -> MutableServerList.of(A, otherA))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("duplicate endpoint id 'a:1'");
    MutableServerList list = MutableServerList.of(A);
    list.subscribe(seen::add);
    assertThatThrownBy(() -> list.add(otherA))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("duplicate endpoint id 'a:1'");
    assertThatThrownBy(() -> list.replaceAll(List.of(B, Endpoint.builder("y", 2).id("b:1").build())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("duplicate endpoint id 'b:1'");
    assertThat(list.endpoints()).containsExactly(A);
    assertThat(seen).containsExactly(List.of(A));
  }

  @Test
  void staticListRejectsDuplicateIdsAndNulls() {
    assertThatThrownBy(() -> ServerList.of(A, B, Endpoint.of("a", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate endpoint id 'a:1': " + A + " and " + A);
    assertThatThrownBy(() -> ServerList.of(java.util.Arrays.asList(A, null)))
        .isInstanceOf(NullPointerException.class).hasMessage("endpoints[1]");
  }

  @Test
  void readersNeverSeeAHalfAppliedReplaceAll() throws Exception {
    List<Endpoint> first = List.of(A, B);
    List<Endpoint> second = List.of(C, Endpoint.of("d", 1), Endpoint.of("e", 1));
    MutableServerList list = MutableServerList.of(first);
    AtomicBoolean stop = new AtomicBoolean();
    List<List<Endpoint>> torn = new CopyOnWriteArrayList<>();
    CountDownLatch readerDone = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      while (!stop.get()) {
        List<Endpoint> snapshot = list.endpoints();
        if (!snapshot.equals(first) && !snapshot.equals(second)) {
          torn.add(snapshot);
        }
      }
      readerDone.countDown();
    });
    List<List<Endpoint>> published = new CopyOnWriteArrayList<>();
    list.subscribe(published::add);
    reader.start();
    for (int i = 0; i < 5_000; i++) {
      list.replaceAll(i % 2 == 0 ? second : first);
    }
    stop.set(true);
    assertThat(readerDone.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(torn).isEmpty();
    assertThat(published).hasSize(5_001).allSatisfy(s -> assertThat(s).isIn(first, second));
  }

  @Test
  void listsFromFactoriesAreReadyAtOnce() {
    assertThat(MutableServerList.create().isReady()).isTrue();
    assertThat(MutableServerList.of(A).whenReady()).isCompleted();
    assertThat(ServerList.of(A).isReady()).isTrue();
  }

  @Test
  void aListAwaitingSyncTurnsReadyOnceAndChangesDuringTheSyncSeeItNotReady() {
    MutableServerList list = MutableServerList.awaitingSync();
    List<Boolean> readyAtChange = new CopyOnWriteArrayList<>();
    list.subscribe(endpoints -> readyAtChange.add(list.isReady()));
    java.util.concurrent.CompletableFuture<Void> before = list.whenReady();
    list.add(A);
    assertThat(before).isNotDone();
    assertThat(list.markReady()).isTrue();
    assertThat(list.markReady()).isFalse();
    list.add(B);
    assertThat(before).isCompleted();
    assertThat(list.whenReady()).isCompleted();
    assertThat(readyAtChange).containsExactly(false, false, true);
  }

  @Test
  void cancellingOneReadinessFutureLeavesTheListAwaitingSync() {
    MutableServerList list = MutableServerList.awaitingSync();
    list.whenReady().cancel(true);
    assertThat(list.isReady()).isFalse();
    assertThat(list.whenReady()).isNotDone();
  }
}
