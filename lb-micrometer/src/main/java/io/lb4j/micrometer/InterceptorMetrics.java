package io.lb4j.micrometer;

import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.lb4j.core.Endpoint;
import io.lb4j.micrometer.internal.CallMeters;
import io.lb4j.okhttp.CallListener;
import io.lb4j.okhttp.LoadBalancingInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters for the calls a {@link LoadBalancingInterceptor} routes: a {@link CallListener}
 * to install with {@link LoadBalancingInterceptor.Builder#callListener} and a {@link MeterBinder}
 * to bind to the registry. Every meter is tagged {@code service} (the logical host):
 * <ul>
 *   <li>{@value CallMeters#REQUESTS} (timer, tag {@code outcome}): calls, retries and backoff
 *       included, by the outcome the caller sees: {@code success} (1xx, 2xx),
 *       {@code redirection}, {@code client_error}, {@code server_error}, {@code io_error},
 *       {@code canceled}, {@code no_endpoint};
 *   <li>{@value CallMeters#ATTEMPTS} (timer, tags {@code kind} and {@code outcome}): attempts,
 *       {@code kind} {@code first}, {@code retry} or {@code hedge}, outcome as above except
 *       {@code no_endpoint};
 *   <li>{@value CallMeters#RETRIES} (counter, tag {@code result}): what each retryable failure
 *       led to: {@code retried}, or no retry because the retry budget was exhausted
 *       ({@code budget_exhausted}), the attempts were used up ({@code attempts_exhausted}), or
 *       every eligible endpoint was tried ({@code no_endpoint_left}).
 * </ul>
 * Meters are registered on first use, so a series appears with its first event. Events before
 * {@link #bindTo} are not recorded. For the per-endpoint circuit breakers, bind
 * {@link #circuitBreakers(LoadBalancingInterceptor)}: Resilience4j's own meters.
 *
 * <p>Thread-safe; recording an event looks meters up by array index and allocates nothing once
 * the meter exists. Bind to one registry.
 */
public final class InterceptorMetrics implements CallListener, MeterBinder {
  private final Map<String, CallMeters> byService = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;

  /** Metrics that record nothing until bound. */
  public InterceptorMetrics() {}

  /**
   * Resilience4j's binder over the interceptor's breaker registry, which adds and removes meters as
   * breakers come and go (lb4j drops an endpoint's breaker when it leaves). Its meters are named
   * {@code resilience4j.circuitbreaker.*} ({@code state}, {@code calls}, {@code failure.rate},
   * {@code slow.call.rate}, {@code buffered.calls}, {@code not.permitted.calls},
   * {@code slow.calls}) with tag {@code name} = {@code service/endpointId}.
   */
  public static MeterBinder circuitBreakers(LoadBalancingInterceptor interceptor) {
    return TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(
        Objects.requireNonNull(interceptor, "interceptor").circuitBreakerRegistry());
  }

  /**
   * Starts recording into {@code registry}.
   *
   * @throws IllegalStateException if already bound
   */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    if (this.registry != null) {
      throw new IllegalStateException(
          "interceptor metrics are already bound to " + this.registry + "; bind them once");
    }
    this.registry = registry;
  }

  @Override
  public void attemptEnded(String service, Endpoint endpoint, AttemptKind kind, Outcome outcome,
      long latencyNanos) {
    CallMeters meters = metersOf(service);
    if (meters != null) {
      meters.attempt(kind, outcome).record(latencyNanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void retryDecided(String service, RetryDecision decision) {
    CallMeters meters = metersOf(service);
    if (meters != null) {
      meters.retry(decision).increment();
    }
  }

  @Override
  public void callEnded(String service, Outcome outcome, long durationNanos) {
    CallMeters meters = metersOf(service);
    if (meters != null) {
      meters.request(outcome).record(durationNanos, TimeUnit.NANOSECONDS);
    }
  }

  private CallMeters metersOf(String service) {
    MeterRegistry current = registry;
    if (current == null) {
      return null;
    }
    CallMeters meters = byService.get(service);
    return meters != null ? meters
        : byService.computeIfAbsent(service, name -> new CallMeters(current, name));
  }

  @Override
  public String toString() {
    return "InterceptorMetrics" + byService.keySet();
  }
}
