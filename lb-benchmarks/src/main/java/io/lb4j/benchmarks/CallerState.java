package io.lb4j.benchmarks;

import io.lb4j.benchmarks.BenchAlgorithms.KeyUse;
import io.lb4j.core.PickContext;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One benchmark thread playing a caller: its own reusable {@link PickContext} and a cursor over
 * the shared key set, so that affinity algorithms see a different key on every invocation (a
 * fixed key would measure a branch-predicted, cache-hot best case).
 */
@State(Scope.Thread)
public class CallerState {
  private static final String[] KEYS = BenchKeys.keys(BenchKeys.COUNT, 42);

  /** Reused for every pick of this thread, as a caller reuses its context. */
  public final PickContext context = PickContext.create();

  /** The hash of the key last taken by {@link #nextKeyHash()}, for peers that read it from a field. */
  public long keyHash;

  private int cursor;

  @Setup
  public void startAtRandomKey() {
    cursor = ThreadLocalRandom.current().nextInt(BenchKeys.COUNT);
  }

  /** The next key of the cycle. */
  public String nextKey() {
    return KEYS[cursor++ & (BenchKeys.COUNT - 1)];
  }

  /** Hashes the next key of the cycle, stores it in {@link #keyHash} and returns it. */
  public long nextKeyHash() {
    keyHash = BenchKeys.hash(nextKey());
    return keyHash;
  }

  /** The context, carrying the next key if {@code use} needs one. */
  public PickContext contextFor(KeyUse use) {
    if (use != KeyUse.NONE) {
      BenchKeys.apply(context, use, nextKey());
    }
    return context;
  }
}
