package io.lb4j.okhttp.internal;

import io.lb4j.core.LoadBalancer;
import io.lb4j.core.PickContext;
import io.lb4j.okhttp.CallListener;
import io.lb4j.okhttp.RequestKey;
import okhttp3.Request;

/**
 * Everything the interceptor keeps for one logical service: its balancer, the keys it routes by,
 * its retry budget, its endpoints' breakers, its recent latencies (for adaptive hedging), the
 * limiters of its budget and address warnings and the listener of its calls. Immutable
 * references to thread-safe parts.
 *
 * @param hashKey the affinity key, or null for none
 * @param sessionKey the sticky-session id, or null for none
 * @param latencies recent answered latencies, or null unless hedging is adaptive: recording them
 *     costs every call a contended increment and, every 32nd, a sort on the caller's thread
 */
public record ServiceRoute(
    String name,
    LoadBalancer balancer,
    RequestKey hashKey,
    RequestKey sessionKey,
    RetryBudget budget,
    EndpointBreakers breakers,
    RecentLatencies latencies,
    RateLimitedLog budgetWarnings,
    RateLimitedLog addressWarnings,
    CallListener listener) {

  /** A fresh context carrying {@code request}'s hash key and session id, where configured. */
  public PickContext contextFor(Request request) {
    PickContext context = PickContext.create();
    if (hashKey != null) {
      String key = hashKey.valueOrNull(request);
      if (key != null) {
        context.hashKey(key);
      }
    }
    if (sessionKey != null) {
      String session = sessionKey.valueOrNull(request);
      if (session != null) {
        context.sessionId(session);
      }
    }
    return context;
  }

  /** Logs, at most every 10 s, that the budget turned a retry or hedge away. */
  public void warnBudgetExhausted(org.slf4j.Logger log) {
    if (budgetWarnings.tryAcquire()) {
      log.warn("service '{}': retry budget exhausted, failures go back to callers without retry "
          + "and calls go unhedged (logged at most every 10 s)", name);
    }
  }

  /** Logs, at most every 10 s, that an endpoint could not be addressed. */
  public void warnUnaddressable(org.slf4j.Logger log, UnaddressableEndpointException e) {
    if (addressWarnings.tryAcquire()) {
      log.warn("{}; counted as its failure, calls go on to other endpoints "
          + "(logged at most every 10 s per service)", e.getMessage());
    }
  }
}
