package io.lb4j.zookeeper.internal;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;

/**
 * Reads every instance node of one service — the children of {@code <base>/<service>} and their data
 * — asynchronously, leaving a watch on the service node and on each instance node, so that any change
 * (an instance added, removed or rewritten, or the service node created) calls {@code onChange}.
 * Watches are one-shot: the next read sets them again, so one read follows every change.
 *
 * <p>A read that completes holds the state at or after the change that triggered it: a change made
 * in one ZooKeeper transaction is seen whole. Thread-safe; callbacks run on the client's event thread.
 */
public final class ServiceNodeReader {
  private final CuratorFramework client;
  private final String servicePath;
  private final Runnable onChange;
  private final Watcher watcher;

  /**
   * @param client the client reads and watches go through (a {@code WatcherRemoveCuratorFramework},
   *     so its owner can remove the watches)
   * @param onChange called on the client's event thread when a watched node changes; must not block
   */
  public ServiceNodeReader(CuratorFramework client, String servicePath, Runnable onChange) {
    this.client = Objects.requireNonNull(client, "client");
    this.servicePath = Objects.requireNonNull(servicePath, "servicePath");
    this.onChange = Objects.requireNonNull(onChange, "onChange");
    // Connection events (type None) reach watchers too; the source follows them separately.
    this.watcher = (WatchedEvent event) -> {
      if (event.getType() != Watcher.Event.EventType.None) {
        onChange.run();
      }
    };
  }

  /**
   * Instance node name → its data, sorted by name; empty if the service node does not exist yet (a
   * watch then waits for its creation). Fails with the {@link KeeperException} of the first read that
   * failed (a lost connection, missing rights); an instance node deleted while being read is left out.
   */
  public CompletableFuture<Map<String, byte[]>> read() {
    CompletableFuture<Map<String, byte[]>> result = new CompletableFuture<>();
    try {
      client.getChildren().usingWatcher(watcher)
          .inBackground((c, event) -> {
            try {
              childrenRead(event, result);
            } catch (Exception e) {
              result.completeExceptionally(e);
            }
          })
          .forPath(servicePath);
    } catch (Exception e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  private void childrenRead(CuratorEvent event, CompletableFuture<Map<String, byte[]>> result)
      throws Exception {
    KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
    if (code == KeeperException.Code.NONODE) {
      client.checkExists().usingWatcher(watcher)
          .inBackground((c, exists) -> serviceNodeChecked(exists, result))
          .forPath(servicePath);
    } else if (code != KeeperException.Code.OK) {
      result.completeExceptionally(KeeperException.create(code, servicePath));
    } else {
      readInstances(event.getChildren(), result);
    }
  }

  private void serviceNodeChecked(CuratorEvent exists, CompletableFuture<Map<String, byte[]>> result) {
    KeeperException.Code code = KeeperException.Code.get(exists.getResultCode());
    if (code == KeeperException.Code.OK) {
      // Created between the two reads: the watch now set fires on its data, not its children.
      result.complete(Map.of());
      onChange.run();
    } else if (code == KeeperException.Code.NONODE) {
      result.complete(Map.of());
    } else {
      result.completeExceptionally(KeeperException.create(code, servicePath));
    }
  }

  private void readInstances(List<String> children, CompletableFuture<Map<String, byte[]>> result)
      throws Exception {
    Map<String, byte[]> nodes = new TreeMap<>();
    if (children.isEmpty()) {
      result.complete(nodes);
      return;
    }
    int[] remaining = {children.size()};
    for (String child : children) {
      String path = ZKPaths.makePath(servicePath, child);
      client.getData().usingWatcher(watcher).inBackground((c, event) -> {
        KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
        synchronized (nodes) {
          if (code == KeeperException.Code.OK) {
            nodes.put(child, event.getData());
          } else if (code != KeeperException.Code.NONODE) {
            result.completeExceptionally(KeeperException.create(code, path));
          }
          if (--remaining[0] == 0) {
            result.complete(nodes);
          }
        }
      }).forPath(path);
    }
  }
}
