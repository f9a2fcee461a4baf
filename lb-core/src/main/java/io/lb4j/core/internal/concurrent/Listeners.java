package io.lb4j.core.internal.concurrent;

import io.lb4j.core.Subscription;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of listeners, each isolated from the others: one that throws is logged at WARN and the rest
 * still run. Thread-safe; ordering of events is the caller's job (publish under its own lock).
 *
 * @param <T> the event type
 */
public final class Listeners<T> {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  private final String source;
  private final CopyOnWriteArrayList<Consumer<? super T>> listeners = new CopyOnWriteArrayList<>();

  /** @param source names the publisher in log messages */
  public Listeners(String source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  /** Registers {@code listener}, first delivering {@code current} to it. */
  public Subscription add(Consumer<? super T> listener, T current) {
    Objects.requireNonNull(listener, "listener");
    deliver(listener, current);
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Registers {@code listener} without a replay. */
  public Subscription add(Consumer<? super T> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  public boolean isEmpty() {
    return listeners.isEmpty();
  }

  public void publish(T event) {
    for (Consumer<? super T> listener : listeners) {
      deliver(listener, event);
    }
  }

  private void deliver(Consumer<? super T> listener, T event) {
    try {
      listener.accept(event);
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError) {
        throw e;
      }
      log.warn("{} listener {} threw on {}; other listeners still notified", source, listener, event, e);
    }
  }
}
