package io.lb4j.micrometer.internal;

import io.lb4j.okhttp.CallListener.AttemptKind;
import io.lb4j.okhttp.CallListener.Outcome;
import io.lb4j.okhttp.CallListener.RetryDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The interceptor meters of one service, each registered on first use and then found by array
 * index, so that recording an attempt does not build meter ids. Thread-safe: two threads racing
 * to register the same meter get the same one from the registry.
 */
public final class CallMeters {
  public static final String REQUESTS = "lb.client.requests";
  public static final String ATTEMPTS = "lb.client.attempts";
  public static final String RETRIES = "lb.client.retries";

  private static final Outcome[] OUTCOMES = Outcome.values();
  private static final AttemptKind[] KINDS = AttemptKind.values();
  private static final RetryDecision[] DECISIONS = RetryDecision.values();

  private final MeterRegistry registry;
  private final String service;
  private final AtomicReferenceArray<Timer> requests = new AtomicReferenceArray<>(OUTCOMES.length);
  private final AtomicReferenceArray<Timer> attempts =
      new AtomicReferenceArray<>(OUTCOMES.length * KINDS.length);
  private final AtomicReferenceArray<Counter> retries = new AtomicReferenceArray<>(DECISIONS.length);

  /** Meters of {@code service} in {@code registry}, none registered yet. */
  public CallMeters(MeterRegistry registry, String service) {
    this.registry = registry;
    this.service = service;
  }

  /** The {@value #REQUESTS} timer of {@code outcome}. */
  public Timer request(Outcome outcome) {
    Timer timer = requests.get(outcome.ordinal());
    if (timer == null) {
      timer = (Timer.builder(REQUESTS)
          .tags("service", service, "outcome", tag(outcome))
          .description("Calls through the load-balancing interceptor, retries and backoff included")
          .register(registry));
      requests.set(outcome.ordinal(), timer);
    }
    return timer;
  }

  /** The {@value #ATTEMPTS} timer of {@code kind} and {@code outcome}. */
  public Timer attempt(AttemptKind kind, Outcome outcome) {
    int index = kind.ordinal() * OUTCOMES.length + outcome.ordinal();
    Timer timer = attempts.get(index);
    if (timer == null) {
      timer = (Timer.builder(ATTEMPTS)
          .tags("service", service, "kind", tag(kind), "outcome", tag(outcome))
          .description("Attempts sent to endpoints, from sending to the response headers or failure")
          .register(registry));
      attempts.set(index, timer);
    }
    return timer;
  }

  /** The {@value #RETRIES} counter of {@code decision}. */
  public Counter retry(RetryDecision decision) {
    Counter counter = retries.get(decision.ordinal());
    if (counter == null) {
      counter = (Counter.builder(RETRIES)
          .tags("service", service, "result", tag(decision))
          .description("Retry decisions after retryable failures: retried, or why not")
          .register(registry));
      retries.set(decision.ordinal(), counter);
    }
    return counter;
  }

  private static String tag(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
