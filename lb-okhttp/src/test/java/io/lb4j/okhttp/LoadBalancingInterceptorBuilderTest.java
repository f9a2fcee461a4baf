package io.lb4j.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lb4j.core.LoadBalancer;
import io.lb4j.core.MutableServerList;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad configuration fails at once with a message naming the value. */
class LoadBalancingInterceptorBuilderTest {
  private final LoadBalancer orders = LoadBalancer.builder(MutableServerList.create()).name("orders").build();

  @AfterEach
  void close() {
    orders.close();
  }

  @Test
  void hashKeyForUnknownServiceNamesItAndTheKnownOnes() {
    LoadBalancingInterceptor.Builder builder = LoadBalancingInterceptor.builder()
        .service("orders", orders)
        .hashKey("ordres", RequestKey.header("X-User"));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("hashKey names unknown service 'ordres'; configured services: [orders]");
  }

  @Test
  void stickySessionForUnknownServiceIsRejected() {
    LoadBalancingInterceptor.Builder builder = LoadBalancingInterceptor.builder()
        .stickySession("carts", RequestKey.cookie("SESSION"));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stickySession names unknown service 'carts'; configured services: []");
  }

  @Test
  void keysMayBeConfiguredBeforeTheirService() {
    LoadBalancingInterceptor interceptor = LoadBalancingInterceptor.builder()
        .hashKey("Orders", RequestKey.header("X-User"))
        .service("ORDERS", orders)
        .build();

    assertThat(interceptor.services()).containsExactly("orders");
  }

  @Test
  void maxAttemptsBelowOneIsRejected() {
    assertThatThrownBy(() -> LoadBalancingInterceptor.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be >= 1, was 0");
  }

  @Test
  void negativePerTryTimeoutIsRejected() {
    assertThatThrownBy(() -> LoadBalancingInterceptor.builder().perTryTimeout(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("perTryTimeout must be >= 0, was PT-0.005S");
  }

  @Test
  void negativeBodyBufferLimitIsRejected() {
    assertThatThrownBy(() -> LoadBalancingInterceptor.builder().bodyBufferLimit(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bodyBufferLimit must be >= 0, was -1");
  }

  @Test
  void negativeBackoffIsRejected() {
    assertThatThrownBy(() -> LoadBalancingInterceptor.builder()
        .backoff(Duration.ofMillis(-5), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initialBackoff must be >= 0, was PT-0.005S");
  }

  @Test
  void maxBackoffBelowInitialIsRejected() {
    assertThatThrownBy(() -> LoadBalancingInterceptor.builder()
        .backoff(Duration.ofMillis(100), Duration.ofMillis(50)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBackoff must be >= initialBackoff (PT0.1S), was PT0.05S");
  }

  @Test
  void budgetPercentOutsideZeroToHundredIsRejected() {
    assertThatThrownBy(() -> LoadBalancingInterceptor.builder().retryBudgetPercent(101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retryBudgetPercent must be in [0, 100], was 101");
    assertThatThrownBy(() -> LoadBalancingInterceptor.builder().retryBudgetPercent(-1))
        .hasMessage("retryBudgetPercent must be in [0, 100], was -1");
  }

  @Test
  void budgetBoundsAreAccepted() {
    LoadBalancingInterceptor.builder().retryBudgetPercent(0).retryBudgetPercent(100)
        .minRetriesPerSecond(0);
  }

  @Test
  void negativeRetryFloorIsRejected() {
    assertThatThrownBy(() -> LoadBalancingInterceptor.builder().minRetriesPerSecond(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minRetriesPerSecond must be >= 0, was -1");
  }

  @Test
  void statusOutsideHttpRangeIsRejected() {
    assertThatThrownBy(() -> LoadBalancingInterceptor.builder().retryableStatuses(503, 600))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retryable status must be in [100, 599], was 600");
  }

  @Test
  void negativeRetryAfterCapIsRejected() {
    assertThatThrownBy(() -> LoadBalancingInterceptor.builder().retryAfterCap(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retryAfterCap must be >= 0, was PT-1S");
  }

  @Test
  void serviceNameMustBeAHostName() {
    assertThatThrownBy(() -> LoadBalancingInterceptor.builder().service("orders/v1", orders))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service name must be a host name, was 'orders/v1'");
    assertThatThrownBy(() -> LoadBalancingInterceptor.builder().service(" ", orders))
        .hasMessage("service name must be a host name, was ' '");
  }

  @Test
  void serviceConfiguredTwiceIsRejected() {
    LoadBalancingInterceptor.Builder builder = LoadBalancingInterceptor.builder().service("orders", orders);

    assertThatThrownBy(() -> builder.service("Orders", orders))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service 'orders' is already configured");
  }

  @Test
  void missingValuesNameTheParameter() {
    assertThatThrownBy(() -> LoadBalancingInterceptor.builder().service("orders", null))
        .isInstanceOf(NullPointerException.class).hasMessage("balancer");
    assertThatThrownBy(() -> LoadBalancingInterceptor.builder().circuitBreakerConfig(null))
        .isInstanceOf(NullPointerException.class).hasMessage("config");
    assertThatThrownBy(() -> LoadBalancedOkHttp.wrap(null, LoadBalancingInterceptor.builder().build()))
        .isInstanceOf(NullPointerException.class).hasMessage("client");
  }
}
