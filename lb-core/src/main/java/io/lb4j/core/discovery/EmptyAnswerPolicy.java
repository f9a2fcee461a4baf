package io.lb4j.core.discovery;

/**
 * What a discovery source does when its registry answers successfully with no usable endpoint (none
 * registered, or every entry malformed). A <em>failed</em> answer never changes the list, whatever
 * the policy.
 */
public enum EmptyAnswerPolicy {
  /**
   * The default: keep the last non-empty list and log a WARN naming the source. A registry that
   * briefly forgets a service (a bad deploy, a half-restarted cluster) then costs nothing; a service
   * that was really removed keeps receiving traffic until it reappears or the process restarts.
   */
  KEEP_LAST_NON_EMPTY,

  /** Publish the empty list: the balancer then fails picks with an "empty list" reason. */
  ALLOW_EMPTY
}
