package io.lb4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.internal.stats.LiveEndpointStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** A pick ends exactly once, and try-with-resources ends one that nothing else ended. */
class PickTest {
  private final ManualTicker ticker = new ManualTicker();
  private final Endpoint endpoint = Endpoint.of("10.0.0.1", 8080);

  private LoadBalancer balancer(HealthTracker tracker) {
    return LoadBalancer.builder(MutableServerList.of(endpoint)).healthTracker(tracker).ticker(ticker)
        .build();
  }

  @Test
  void closingAnUnfinishedPickCancelsIt() {
    try (HealthTracker tracker = HealthFixtures.manualTracker(ticker).build();
        LoadBalancer lb = balancer(tracker)) {
      LiveEndpointStats stats = LiveEndpointStats.of(lb.stats(endpoint.id()).orElseThrow());
      assertThatThrownBy(() -> {
        try (Pick pick = lb.pick()) {
          assertThat(pick.endpoint()).isEqualTo(endpoint);
          assertThat(stats.inFlight()).isEqualTo(1);
          throw new UncheckedIOException(new IOException("connection reset"));
        }
      }).isInstanceOf(UncheckedIOException.class);
      assertThat(stats.inFlight()).isZero();
      assertThat(stats.successes() + stats.failures()).isZero();
    }
  }

  @Test
  void closingACompletedPickChangesNothing() {
    try (HealthTracker tracker = HealthFixtures.manualTracker(ticker).build();
        LoadBalancer lb = balancer(tracker)) {
      LiveEndpointStats stats = LiveEndpointStats.of(lb.stats(endpoint.id()).orElseThrow());
      Pick pick;
      try (Pick attempt = lb.pick()) {
        pick = attempt;
        lb.pick().complete(true); // a second call in flight meanwhile, to see no double decrement
        stats.start();
        attempt.complete(false);
      }
      assertThat(pick.isCanceled()).isFalse();
      assertThat(pick.isCompleted()).isTrue();
      assertThat(stats.inFlight()).isEqualTo(1);
      assertThat(stats.failures()).isEqualTo(1);
      pick.close();
      assertThat(stats.inFlight()).isEqualTo(1);
    }
  }

  @Test
  void closeAfterCancelNeitherThrowsNorEndsAnotherCall() {
    try (HealthTracker tracker = HealthFixtures.manualTracker(ticker).build();
        LoadBalancer lb = balancer(tracker)) {
      LiveEndpointStats stats = LiveEndpointStats.of(lb.stats(endpoint.id()).orElseThrow());
      Pick other = lb.pick();
      Pick pick = lb.pick();
      pick.cancel();
      pick.close();
      assertThat(stats.inFlight()).isEqualTo(1);
      assertThatThrownBy(pick::cancel).isInstanceOf(IllegalStateException.class)
          .hasMessage("pick of endpoint 10.0.0.1:8080 already canceled");
      other.complete(true);
      assertThat(stats.inFlight()).isZero();
    }
  }

  @Test
  void eachStateQueryMeansOneThing() {
    try (HealthTracker tracker = HealthFixtures.manualTracker(ticker).build();
        LoadBalancer lb = balancer(tracker)) {
      Pick open = lb.pick();
      Pick completed = lb.pick();
      Pick canceled = lb.pick();
      Pick closed = lb.pick();
      completed.complete(true);
      canceled.cancel();
      closed.close();

      assertThat(open.isCompleted()).isFalse();
      assertThat(open.isCanceled()).isFalse();
      assertThat(open.isDone()).isFalse();
      assertThat(completed.isCompleted()).isTrue();
      assertThat(completed.isDone()).isTrue();
      assertThat(completed.isCanceled()).isFalse();
      assertThat(canceled.isCompleted()).isFalse();
      assertThat(canceled.isDone()).isTrue();
      assertThat(canceled.isCanceled()).isTrue();
      assertThat(closed.isCompleted()).isFalse();
      assertThat(closed.isDone()).isTrue();
      assertThat(closed.isCanceled()).isTrue();
      open.cancel();
    }
  }
}
