package io.lb4j.core.internal.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lb4j.core.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LiveEndpointStatsTest {
  private static final long MILLI = 1_000_000L;
  private static final Duration TAU = Duration.ofSeconds(10);

  private final ManualTicker ticker = new ManualTicker();
  private final LiveEndpointStats stats = LiveEndpointStats.create(ticker, TAU);

  @Test
  void abandonEndsInFlightAndRecordsNothing() {
    stats.start();
    stats.start();
    stats.end(true, 10 * MILLI);
    stats.abandon();
    stats.abandon(); // unbalanced: in-flight stays at zero
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.successes()).isEqualTo(1);
    assertThat(stats.failures()).isZero();
    assertThat(stats.latencyNanos()).isEqualTo(10.0 * MILLI);
  }

  @Test
  void peakIsAdoptedAtOnce() {
    stats.end(true, 10 * MILLI);
    stats.end(true, 500 * MILLI);
    assertThat(stats.latencyNanos()).isEqualTo(500.0 * MILLI);
  }

  @Test
  void estimateDecaysWithTimeConstantTau() {
    stats.end(true, 100 * MILLI);
    ticker.advance(TAU);
    assertThat(stats.latencyNanos()).isCloseTo(100.0 * MILLI * Math.exp(-1), within(1e-3));
    ticker.advance(TAU);
    assertThat(stats.latencyNanos()).isCloseTo(100.0 * MILLI * Math.exp(-2), within(1e-3));
  }

  @Test
  void lowerObservationIsAveragedInByElapsedTime() {
    stats.end(true, 100 * MILLI);
    ticker.advance(TAU);
    stats.end(true, 20 * MILLI);
    double w = Math.exp(-1);
    assertThat(stats.latencyNanos()).isCloseTo((100 * w + 20 * (1 - w)) * MILLI, within(1e-3));
  }

  @Test
  void aFastFailureKeepsTheEstimateOfTheLastObservation() {
    stats.end(true, 100 * MILLI);
    for (int i = 0; i < 50; i++) {
      ticker.advance(Duration.ofMillis(500));
      stats.end(false, MILLI);
      assertThat(stats.latencyNanos()).isEqualTo(100.0 * MILLI);
    }
  }

  @Test
  void aSlowFailureStillCountsAsAPeak() {
    stats.end(true, 10 * MILLI);
    stats.end(false, 300 * MILLI);
    assertThat(stats.latencyNanos()).isEqualTo(300.0 * MILLI);
  }

  @Test
  void inFlightNeverGoesNegativeWhenEndIsCalledMoreOftenThanStart() {
    stats.start();
    stats.end(true, 1);
    stats.end(true, 1);
    stats.end(false, 1);
    assertThat(stats.inFlight()).isZero();
    stats.start();
    assertThat(stats.inFlight()).isEqualTo(1);
  }

  @Test
  void countsSuccessesAndFailures() {
    stats.end(true, 1);
    stats.end(false, 1);
    stats.end(false, 1);
    assertThat(stats.successes()).isEqualTo(1);
    assertThat(stats.failures()).isEqualTo(2);
  }

  @Test
  void loadIsLatencyTimesInFlightPlusOne() {
    stats.end(true, 10 * MILLI);
    stats.start();
    stats.start();
    assertThat(stats.load()).isCloseTo(30.0 * MILLI, within(1e-6));
  }

  @Test
  void noHistoryButInFlightCarriesThePenalty() {
    assertThat(stats.load()).isZero();
    stats.start();
    assertThat(stats.load()).isEqualTo(LiveEndpointStats.UNKNOWN_LATENCY_PENALTY + 1);
  }

  @Test
  void negativeLatencyIsRejectedAndChangesNothing() {
    stats.start();
    assertThatThrownBy(() -> stats.end(true, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latencyNanos must be >= 0, was -1");
    assertThat(stats.inFlight()).isEqualTo(1);
    assertThat(stats.successes()).isZero();
  }

  @Test
  void decayMustBePositive() {
    assertThatThrownBy(() -> LiveEndpointStats.create(ticker, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("decay must be > 0, was PT0S");
    assertThatThrownBy(() -> LiveEndpointStats.create(null, TAU))
        .isInstanceOf(NullPointerException.class).hasMessage("ticker");
  }

  @Test
  void decayFreeLogCostIsMinusInfinityWithoutHistory() {
    stats.start();
    stats.end(true, 0);
    assertThat(stats.decayFreeLogCost()).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void decayFreeLogCostIsLogCostPlusStampOverTau() {
    ticker.advance(TAU);
    stats.end(true, 100 * MILLI);
    ticker.advance(TAU);
    stats.end(true, 20 * MILLI);
    double w = Math.exp(-1);
    double stampOverTau = ticker.read() / (double) TAU.toNanos();
    assertThat(stats.decayFreeLogCost())
        .isCloseTo(Math.log((100 * w + 20 * (1 - w)) * MILLI) + stampOverTau, within(1e-12));
    ticker.advance(TAU.multipliedBy(3)); // no observation: the estimate decays, the value stays
    assertThat(Math.log(stats.latencyNanos()))
        .isCloseTo(stats.decayFreeLogCost() - ticker.read() / (double) TAU.toNanos(), within(1e-9));
  }

  @Test
  void logCostsAreComparableOnlyOnOneTickerWithOneDecayOfAtLeastOneMillisecond() {
    assertThat(stats.logCostComparableWith(LiveEndpointStats.create(ticker, TAU))).isTrue();
    assertThat(stats.logCostComparableWith(LiveEndpointStats.create(ticker, TAU.plusNanos(1))))
        .isFalse();
    assertThat(stats.logCostComparableWith(LiveEndpointStats.create(new ManualTicker(), TAU)))
        .isFalse();
    Duration milli = Duration.ofNanos(LiveEndpointStats.MIN_COMPARABLE_DECAY_NANOS);
    LiveEndpointStats fast = LiveEndpointStats.create(ticker, milli);
    assertThat(fast.logCostComparableWith(LiveEndpointStats.create(ticker, milli))).isTrue();
    LiveEndpointStats faster = LiveEndpointStats.create(ticker, milli.minusNanos(1));
    assertThat(faster.logCostComparableWith(LiveEndpointStats.create(ticker, milli.minusNanos(1))))
        .isFalse();
    assertThatThrownBy(() -> stats.logCostComparableWith(null))
        .isInstanceOf(NullPointerException.class).hasMessage("other");
  }
}
