package io.lb4j.core.internal.select;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lb4j.core.Algorithm;
import io.lb4j.core.Candidates;
import io.lb4j.core.PickContext;
import io.lb4j.core.Selector;
import io.lb4j.core.Ticker;
import io.lb4j.core.internal.Arguments;
import io.lb4j.core.internal.explain.Explainable;
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
 * selector. A later pick of the session returns the pinned endpoint while it is a candidate. A pick
 * that excludes the pinned endpoint (a retry after it failed once) goes to the delegate for that
 * attempt only and leaves the pin alone; only when the pinned endpoint stops being a candidate
 * (it left, was ejected, marked or probed down) does the delegate pick again and the session move
 * there for good. Two threads pinning the same new session at once agree on one endpoint (first
 * writer wins). A pick without a session id goes to the delegate untouched. The cache's clock is
 * the ticker of the candidates of the most recent selector ({@link Candidates#ticker()}), so a fake
 * ticker drives expiry in tests.
 *
 * <p>Stateful, and safe to share: {@link #forBalancer()} gives each {@link io.lb4j.core.LoadBalancer}
 * a fresh instance with the same settings and a cache of its own (and binds the delegate likewise),
 * so one {@code sticky(...)} handed to several balancers keeps their sessions apart. Calling
 * {@link #newSelector} on one instance directly, as the Selector API does, shares that instance's
 * pins among all its selectors, which is what carries them across rebuilds.
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
  private final long maximumSize;
  private final Duration expireAfterAccess;
  private final Cache<String, String> pins;
  private volatile Ticker ticker = Ticker.system();

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
    this.maximumSize = maximumSize;
    this.expireAfterAccess = expireAfterAccess;
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

  /** A fresh instance with the same settings, an empty cache and the delegate's own binding. */
  @Override
  public Algorithm forBalancer() {
    return new StickySessionAlgorithm(delegate.forBalancer(), maximumSize, expireAfterAccess);
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
  private static final class StickySelector extends AbstractSelector implements Explainable {
    private final Selector delegate;
    private final Cache<String, String> pins;
    private final Map<String, Integer> indexById;

    StickySelector(Selector delegate, Cache<String, String> pins) {
      super(delegate.candidates());
      this.delegate = delegate;
      this.pins = pins;
      this.indexById = new HashMap<>(candidates.size() * 2);
      for (int i = 0; i < candidates.size(); i++) {
        indexById.put(candidates.endpoint(i).id(), i);
      }
    }

    @Override
    public int selectIndex(PickContext context) {
      String session = context.sessionIdOrNull();
      if (session == null) {
        return delegate.selectIndex(context);
      }
      String pinned = pins.getIfPresent(session);
      int index = candidateIndex(pinned);
      if (index >= 0) {
        // An excluded pin is a retry after one failed attempt: go elsewhere this once, stay pinned.
        return SelectorSupport.isExcluded(context, candidates, index)
            ? delegate.selectIndex(context) : index;
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

    /** Reads the pin quietly: explaining neither pins the session nor extends its pin's life. */
    @Override
    public Decision explain(PickContext context) {
      String session = context.sessionIdOrNull();
      if (session == null) {
        return delegated(context, "sticky: no session id, so the delegate chooses: ");
      }
      String pinned = pins.policy().getIfPresentQuietly(session);
      int index = candidateIndex(pinned);
      if (index >= 0 && !SelectorSupport.isExcluded(context, candidates, index)) {
        return new Decision(index, "sticky: session '" + session + "' is pinned to " + pinned);
      }
      if (index >= 0) {
        return delegated(context, "sticky: session '" + session + "' is pinned to " + pinned
            + ", excluded for this attempt only (the pin stays), so the delegate chooses: ");
      }
      return delegated(context, "sticky: session '" + session + "' "
          + (pinned == null ? "is not pinned" : "is pinned to " + pinned + ", no longer a candidate")
          + ", so the delegate chooses (and a pick would pin it): ");
    }

    private Decision delegated(PickContext context, String prefix) {
      if (delegate instanceof Explainable explainable) {
        Decision decision = explainable.explain(context);
        return new Decision(decision.index(), prefix + decision.rule());
      }
      return new Decision(Decision.NOT_EXPLAINED, prefix + delegate + " does not explain its choices");
    }

    /** The index of {@code endpointId} if it is a candidate, else -1. */
    private int candidateIndex(String endpointId) {
      if (endpointId == null) {
        return -1;
      }
      Integer index = indexById.get(endpointId);
      return index == null ? -1 : index;
    }

    /** The index of {@code endpointId} if it is a candidate the context allows, else -1. */
    private int usable(String endpointId, PickContext context) {
      int index = candidateIndex(endpointId);
      return index < 0 || SelectorSupport.isExcluded(context, candidates, index) ? -1 : index;
    }

    @Override
    public String toString() {
      return "StickySelector{" + delegate + "}";
    }
  }
}
