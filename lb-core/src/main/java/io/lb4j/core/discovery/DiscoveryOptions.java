package io.lb4j.core.discovery;

import io.lb4j.core.RandomSource;
import io.lb4j.core.internal.Arguments;
import io.lb4j.core.internal.concurrent.DiscoveryExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The settings every discovery source shares: how long to wait for the initial sync, how to back off
 * after a failed query, what to do with an empty answer, and the scheduler, clock and random source
 * (injectable so tests are deterministic). Immutable and thread-safe; built by {@link #builder()},
 * derived with {@link #toBuilder()}.
 *
 * <p>Defaults: initial wait 10 s; backoff from 1 s doubling to 30 s with ±20 % jitter;
 * {@link EmptyAnswerPolicy#KEEP_LAST_NON_EMPTY}; one shared daemon scheduler thread for all sources
 * (queries themselves are asynchronous, so it never blocks on a registry); the system UTC clock;
 * thread-local randomness.
 */
public final class DiscoveryOptions {
  private static final DiscoveryOptions DEFAULTS = new Builder().build();

  private final Duration initialWait;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final int jitterPercent;
  private final EmptyAnswerPolicy emptyAnswers;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final RandomSource random;

  private DiscoveryOptions(Builder builder) {
    this.initialWait = builder.initialWait;
    this.initialBackoff = builder.initialBackoff;
    this.maxBackoff = builder.maxBackoff;
    this.jitterPercent = builder.jitterPercent;
    this.emptyAnswers = builder.emptyAnswers;
    this.scheduler = builder.scheduler;
    this.clock = builder.clock;
    this.random = builder.random;
  }

  /** The defaults listed in the class comment. */
  public static DiscoveryOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** How long {@link DiscoveryServerList#whenReady()} waits for the initial sync before failing. */
  public Duration initialWait() {
    return initialWait;
  }

  /** The delay before the first retry after a failure. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** The cap on the delay between retries. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * The jitter in percent, 0 to 50: each delay is drawn from {@code delay × (1 ± jitterPercent/100)}.
   */
  public int jitterPercent() {
    return jitterPercent;
  }

  /** What an empty successful answer does to the list. */
  public EmptyAnswerPolicy emptyAnswers() {
    return emptyAnswers;
  }

  /** Runs timers, queries and the handling of answers. */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Stamps {@link DiscoveryStatus} times. */
  public Clock clock() {
    return clock;
  }

  /** Draws backoff jitter. */
  public RandomSource random() {
    return random;
  }

  @Override
  public String toString() {
    return "DiscoveryOptions{initialWait=" + initialWait + ", backoff=" + initialBackoff + ".."
        + maxBackoff + " ±" + jitterPercent + "%, emptyAnswers=" + emptyAnswers + "}";
  }

  /** Builds {@link DiscoveryOptions}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private Duration initialWait = Duration.ofSeconds(10);
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private int jitterPercent = 20;
    private EmptyAnswerPolicy emptyAnswers = EmptyAnswerPolicy.KEEP_LAST_NON_EMPTY;
    private ScheduledExecutorService scheduler = DiscoveryExecutor.shared();
    private Clock clock = Clock.systemUTC();
    private RandomSource random = RandomSource.threadLocal();

    private Builder() {}

    private Builder(DiscoveryOptions options) {
      this.initialWait = options.initialWait;
      this.initialBackoff = options.initialBackoff;
      this.maxBackoff = options.maxBackoff;
      this.jitterPercent = options.jitterPercent;
      this.emptyAnswers = options.emptyAnswers;
      this.scheduler = options.scheduler;
      this.clock = options.clock;
      this.random = options.random;
    }

    /**
     * How long to wait for the initial sync before {@code whenReady()} fails; positive. The source
     * keeps trying afterwards and turns ready when its registry answers.
     */
    public Builder initialWait(Duration initialWait) {
      this.initialWait = Arguments.positive(initialWait, "initialWait");
      return this;
    }

    /**
     * Retry delays after consecutive failures: {@code initial}, doubling up to {@code max}.
     *
     * @throws IllegalArgumentException if either is not positive or {@code max < initial}
     */
    public Builder backoff(Duration initial, Duration max) {
      Arguments.positive(initial, "initialBackoff");
      Arguments.positive(max, "maxBackoff");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "maxBackoff must be >= initialBackoff " + initial + ", was " + max);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * Spreads each retry delay uniformly over delay ± this percentage, 0 to 50, so that clients
     * that lost the same registry do not retry in lockstep; 0 makes delays exact. Default 20%.
     */
    public Builder jitterPercent(int percent) {
      this.jitterPercent = Arguments.percent(percent, 0, 50, "jitterPercent");
      return this;
    }

    /** What an empty successful answer does; see {@link EmptyAnswerPolicy}. */
    public Builder emptyAnswers(EmptyAnswerPolicy policy) {
      this.emptyAnswers = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The scheduler for timers, queries and the handling of answers. Sources serialise their own
     * work, so a multi-threaded scheduler is fine. Sources never shut it down.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The clock stamping status times. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The random source for jitter. */
    public Builder random(RandomSource random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The options set so far; the builder may be reused. */
    public DiscoveryOptions build() {
      return new DiscoveryOptions(this);
    }
  }
}
