package io.lb4j.okhttp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.EventListener;

/**
 * Relays a wrapped client's call's cancel to what the interceptor tied to it after the call left
 * the interceptor: a hedged call's winning attempt is a call of its own, whose body the caller
 * reads, and canceling the caller's call must stop that read too. OkHttp offers the interceptor no
 * cancel callback, but tells every call's {@link EventListener} of its cancel; the hooks travel as
 * a tag of the call.
 *
 * <p>Thread-safe: a hook runs once, on the canceling thread, or at once on the registering thread
 * when the call was already canceled.
 */
public final class CancelRelay {
  private static final EventListener LISTENER = new EventListener() {
    @Override
    public void canceled(Call call) {
      CancelRelay relay = call.tag(CancelRelay.class);
      if (relay != null) {
        relay.fire();
      }
    }
  };

  private final List<Runnable> hooks = new ArrayList<>();
  private boolean fired;

  private CancelRelay() {}

  /** {@code factory}'s listeners, each also relaying its call's cancel to the call's hooks. */
  public static EventListener.Factory around(EventListener.Factory factory) {
    Objects.requireNonNull(factory, "factory");
    return call -> factory.create(call).plus(LISTENER);
  }

  /** Runs {@code hook} when {@code call}, a call of a wrapped client, is canceled. */
  static void onCancel(Call call, Runnable hook) {
    CancelRelay relay = call.tag(CancelRelay.class, CancelRelay::new);
    if (relay.add(hook) || call.isCanceled()) {
      hook.run(); // canceled before the hook was known: canceling twice is harmless
    }
  }

  /** Adds {@code hook}; true if the relay fired already and it must run now. */
  private synchronized boolean add(Runnable hook) {
    if (!fired) {
      hooks.add(hook);
    }
    return fired;
  }

  private void fire() {
    List<Runnable> toRun;
    synchronized (this) {
      if (fired) {
        return;
      }
      fired = true;
      toRun = List.copyOf(hooks);
      hooks.clear();
    }
    toRun.forEach(Runnable::run);
  }
}
