package io.lb4j.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.lb4j.core.Algorithm;
import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Sticky sessions: choose them when a session's state lives in one instance's memory (a login, a
 * conversation, an upload), so every call of the session must reach the instance its first call
 * reached, as long as that instance stays available.
 *
 * <p>Guarantees: the first pick of a session id ({@link PickContext#sessionIdOrNull()}) is made by
 * the delegate algorithm and pinned (session id → endpoint id) in a Caffeine cache bounded by
 * {@code maximumSize} and expiring {@code expireAfterAccess} after the session's last pick. The cache
 * belongs to this algorithm, not to a selector, so pins survive every rebuild of the balancer's
 * selector. A later pick of the session returns the pinned endpoint while it is a candidate and not
 * excluded; otherwise the delegate picks again and the session is re-pinned there. Two threads
 * pinning the same new session at once agree on one endpoint (first writer wins). A pick without a
 * session id goes to the delegate untouched. The cache's clock is the ticker of the candidates of
 * the most recent selector ({@link Candidates#ticker()}), so a fake ticker drives expiry in tests.
 *
 * <p>Cost: a pinned pick is a Caffeine {@code getIfPresent} (lock-free; it may schedule cache
 * maintenance on Caffeine's executor with a non-blocking tryLock) plus a hash-map lookup of the
 * endpoint id, no allocation. A first pin or a re-pin adds the delegate's pick and a cache write,
 * which allocates a cache entry. Memory: one entry per live session, at most {@code maximumSize}.
 *
 * <p>Thread-safe. Source: the cookie/session affinity of HAProxy ({@code stick-table}) and nginx
 * ({@code sticky}), with Caffeine's W-TinyLFU bound instead of a fixed table.
 */
public final class StickySessionAlgorithm implements Algorithm {
  public static final long DEFAULT_MAXIMUM_SIZE = 100_000;
  public static final Duration DEFAULT_EXPIRE_AFTER_ACCESS = Duration.ofMinutes(30);

  private final Algorithm delegate;
  private final Cache<String, String> pins;
  private volatile Ticker ticker = Ticker.systemTicker();

  /**
   * @throws IllegalArgumentException if {@code maximumSize} or {@code expireAfterAccess} is not
   *     positive
   */
  public StickySessionAlgorithm(Algorithm delegate, long maximumSize, Duration expireAfterAccess) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    Objects.requireNonNull(expireAfterAccess, "expireAfterAccess");
    if (maximumSize <= 0) {
      throw new IllegalArgumentException("maximumSize must be > 0, was " + maximumSize);
    }
    Arguments.positive(expireAfterAccess, "expireAfterAccess");
    this.pins = Caffeine.newBuilder()
        .maximumSize(maximumSize)
        .expireAfterAccess(expireAfterAccess)
        .ticker(() -> ticker.read())
        .build();
  }

  @Override
  public Selector newSelector(Candidates candidates) {
    Objects.requireNonNull(candidates, "candidates");
    ticker = candidates.ticker();
    return new StickySelector(delegate.newSelector(candidates), pins);
  }

  @Override
  public String name() {
    return "sticky(" + delegate.name() + ")";
  }

  /** As the delegate's: it makes every first pick, and pins never depend on weights. */
  @Override
  public boolean rampsWeights() {
    return delegate.rampsWeights();
  }

  @Override
  public String toString() {
    return name();
  }

  /** One snapshot: the delegate's selector plus an id → index map over the same candidates. */
  private static final class StickySelector implements Selector, Explainable {
    private final Selector delegate;
    private final Candidates candidates;
    private final Cache<String, String> pins;
    private final Map<String, Integer> indexById;

    StickySelector(Selector delegate, Cache<String, String> pins) {
      this.delegate = delegate;
      this.candidates = delegate.candidates();
      this.pins = pins;
      this.indexById = new HashMap<>(candidates.size() * 2);
      for (int i = 0; i < candidates.size(); i++) {
        indexById.put(candidates.endpoint(i).id(), i);
      }
    }

    @Override
    public Candidates candidates() {
      return candidates;
    }

    @Override
    public int selectIndex(PickContext context) {
      String session = context.sessionIdOrNull();
      if (session == null) {
        return delegate.selectIndex(context);
      }
      String pinned = pins.getIfPresent(session);
      int index = usable(pinned, context);
      if (index >= 0) {
        return index;
      }
      int chosen = delegate.selectIndex(context);
      String chosenId = candidates.endpoint(chosen).id();
      boolean won = pinned == null
          ? pins.asMap().putIfAbsent(session, chosenId) == null
          : pins.asMap().replace(session, pinned, chosenId);
      if (won) {
        return chosen;
      }
      // Another pick of this session pinned it first: follow that pin if it is usable here.
      index = usable(pins.getIfPresent(session), context);
      return index >= 0 ? index : chosen;
    }

    /** The index of {@code endpointId} if it is a candidate the context allows, else -1. */
    /** Reads the pin quietly: explaining neither pins the session nor extends its pin's life. */
    @Override
    public Decision explain(PickContext context) {
      String session = context.sessionIdOrNull();
      if (session == null) {
        return delegated(context, "sticky: no session id, so the delegate chooses: ");
      }
      String pinned = pins.policy().getIfPresentQuietly(session);
      int index = usable(pinned, context);
      if (index >= 0) {
        return new Decision(index, "sticky: session '" + session + "' is pinned to " + pinned);
      }
      return delegated(context, "sticky: session '" + session + "' "
          + (pinned == null ? "is not pinned" : "is pinned to " + pinned + ", not usable now")
          + ", so the delegate chooses (and a pick would pin it): ");
    }

    private Decision delegated(PickContext context, String prefix) {
      if (delegate instanceof Explainable explainable) {
        Decision decision = explainable.explain(context);
        return new Decision(decision.index(), prefix + decision.rule());
      }
      return new Decision(Decision.NOT_EXPLAINED, prefix + delegate + " does not explain its choices");
    }

    private int usable(String endpointId, PickContext context) {
      if (endpointId == null) {
        return -1;
      }
      Integer index = indexById.get(endpointId);
      if (index == null || HashSupport.isExcluded(context, candidates, index)) {
        return -1;
      }
      return index;
    }

    @Override
    public String toString() {
      return "StickySelector{" + delegate + "}";
    }
  }
}
