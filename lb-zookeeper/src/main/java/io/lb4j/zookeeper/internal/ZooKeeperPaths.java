package io.lb4j.zookeeper.internal;

import java.util.Objects;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.common.PathUtils;

/** Validation and assembly of the Curator layout's paths; messages name the bad value. */
public final class ZooKeeperPaths {
  /** Spring Cloud Zookeeper's default root; Curator has none. */
  public static final String DEFAULT_BASE_PATH = "/services";

  private ZooKeeperPaths() {}

  /** {@code basePath} if it is an absolute ZooKeeper path. */
  public static String validBasePath(String basePath) {
    Objects.requireNonNull(basePath, "basePath");
    try {
      PathUtils.validatePath(basePath);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "basePath must be an absolute ZooKeeper path, was '" + basePath + "': " + e.getMessage());
    }
    return basePath;
  }

  /** {@code name} if it can be one node's name; {@code field} names it in the message. */
  public static String validNodeName(String name, String field) {
    Objects.requireNonNull(name, field);
    if (name.isBlank() || name.contains("/")) {
      throw new IllegalArgumentException(
          field + " must be a non-blank node name without '/', was '" + name + "'");
    }
    return name;
  }

  /** {@code <basePath>/<service>}. */
  public static String service(String basePath, String service) {
    return ZKPaths.makePath(basePath, service);
  }
}
