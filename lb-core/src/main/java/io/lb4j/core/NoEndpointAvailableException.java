package io.lb4j.core;

import java.util.Objects;

/**
 * Thrown by a pick when no endpoint can take the call, with the {@link Reason} why. Unchecked:
 * callers usually let it propagate as the call's failure. Immutable apart from the stack trace and
 * suppressed exceptions every {@link Throwable} carries; the reason and message are never null.
 */
public final class NoEndpointAvailableException extends RuntimeException {

  /** Why nothing could be picked. */
  public enum Reason {
    /** The server list holds no endpoint. */
    EMPTY_LIST,
    /** Every endpoint that could take traffic was excluded by the {@link PickContext}. */
    ALL_EXCLUDED,
    /** Endpoints exist, but the health tracker considers none of them available. */
    ALL_UNHEALTHY
  }

  /** Why no endpoint was available. */
  private final Reason reason;

  /** @throws NullPointerException if {@code reason} or {@code message} is null */
  public NoEndpointAvailableException(Reason reason, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why nothing could be picked; never null. */
  public Reason reason() {
    return reason;
  }
}
