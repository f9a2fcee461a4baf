package io.lb4j.okhttp.internal;

import io.lb4j.core.Endpoint;
import io.lb4j.okhttp.CallListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls a user's {@link CallListener}, logging (not propagating) what it throws. Thread-safe. */
public final class IsolatedCallListener implements CallListener {
  private static final Logger log = LoggerFactory.getLogger(IsolatedCallListener.class);

  private final CallListener delegate;

  public IsolatedCallListener(CallListener delegate) {
    this.delegate = delegate;
  }

  @Override
  public void attemptEnded(String service, Endpoint endpoint, AttemptKind kind, Outcome outcome,
      long latencyNanos) {
    try {
      delegate.attemptEnded(service, endpoint, kind, outcome, latencyNanos);
    } catch (RuntimeException e) {
      log.warn("call listener {} failed on an attempt's end; the call goes on", delegate, e);
    }
  }

  @Override
  public void retryDecided(String service, RetryDecision decision) {
    try {
      delegate.retryDecided(service, decision);
    } catch (RuntimeException e) {
      log.warn("call listener {} failed on a retry decision; the call goes on", delegate, e);
    }
  }

  @Override
  public void callEnded(String service, Outcome outcome, long durationNanos) {
    try {
      delegate.callEnded(service, outcome, durationNanos);
    } catch (RuntimeException e) {
      log.warn("call listener {} failed on a call's end; the call goes on", delegate, e);
    }
  }
}
