package io.lb4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.Endpoint;
import io.lb4j.core.discovery.DiscoveryOptions;
import io.lb4j.core.discovery.DiscoveryServerList;
import io.lb4j.core.discovery.RegistryAnswer;
import io.lb4j.testkit.ManualScheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.tck.MeterRegistryAssert;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DiscoveryMetricsTest {
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final ManualScheduler time = new ManualScheduler();
  private final ScriptedSource source = new ScriptedSource(time.clock());
  private final DiscoveryMetrics metrics = DiscoveryMetrics.of("orders", source);

  @AfterEach
  void close() {
    metrics.close();
    source.close();
  }

  @Test
  void metersFollowTheSourcesAnswersAndFailures() {
    metrics.bindTo(registry);
    assertThat(gauge(DiscoveryMetrics.READY)).isZero();
    assertThat(registry.get(DiscoveryMetrics.SINCE_SUCCESS).timeGauge().value(TimeUnit.SECONDS))
        .isNaN();

    source.answer(Endpoint.of("10.0.0.1", 80), Endpoint.of("10.0.0.2", 80));
    time.advance(Duration.ofSeconds(7));
    source.failWith(new IOException("registry down"));
    source.failWith(new IOException("registry still down"));

    assertThat(updates("success")).isEqualTo(1);
    assertThat(updates("failure")).isEqualTo(2);
    assertThat(gauge(DiscoveryMetrics.CONSECUTIVE_FAILURES)).isEqualTo(2);
    assertThat(gauge(DiscoveryMetrics.READY)).isEqualTo(1);
    assertThat(gauge(DiscoveryMetrics.ENDPOINTS)).isEqualTo(2);
    assertThat(registry.get(DiscoveryMetrics.SINCE_SUCCESS).tag("service", "orders").timeGauge()
        .value(TimeUnit.SECONDS)).isEqualTo(7);

    source.answer(Endpoint.of("10.0.0.3", 80));
    assertThat(updates("success")).isEqualTo(2);
    assertThat(updates("failure")).isEqualTo(2);
    assertThat(gauge(DiscoveryMetrics.CONSECUTIVE_FAILURES)).isZero();
    assertThat(gauge(DiscoveryMetrics.ENDPOINTS)).isEqualTo(1);
    assertThat(registry.get(DiscoveryMetrics.SINCE_SUCCESS).timeGauge().value(TimeUnit.SECONDS))
        .isZero();
  }

  @Test
  void closingRemovesEveryMeterAndBindingTwiceFails() {
    metrics.bindTo(registry);
    assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already bound");
    metrics.close();
    MeterRegistryAssert.assertThat(registry)
        .hasNoMetrics();
  }

  @Test
  void blankServiceIsRejected() {
    assertThatThrownBy(() -> DiscoveryMetrics.of(" ", source))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service must not be blank, was ' '");
  }

  private double gauge(String name) {
    return registry.get(name).tag("service", "orders").gauge().value();
  }

  private double updates(String result) {
    return registry.get(DiscoveryMetrics.UPDATES).tags("service", "orders", "result", result)
        .functionCounter().count();
  }

  /** A source whose registry is the test: it publishes what the test answers. */
  private static final class ScriptedSource extends DiscoveryServerList {
    ScriptedSource(Clock clock) {
      super("scripted orders", DiscoveryOptions.builder().clock(clock).build());
      start();
    }

    @Override
    protected void onStart() {}

    void answer(Endpoint... endpoints) {
      RegistryAnswer.Builder answer = RegistryAnswer.builder("scripted orders");
      for (Endpoint endpoint : endpoints) {
        answer.add(endpoint.id(), () -> endpoint);
      }
      accept(answer.build());
    }

    void failWith(Throwable cause) {
      fail(cause);
    }
  }

}
