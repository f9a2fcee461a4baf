package io.lb4j.core.internal.health;

import io.lb4j.core.Ticker;

/**
 * The validated configuration of a health tracker, as {@link io.lb4j.core.HealthTracker.Builder}
 * documents it; immutable.
 *
 * @param consecutiveFailures failures in a row that eject; 0 disables
 * @param failureRatePercent failure percentage that ejects; 0 disables
 * @param failureRateMinRequests requests in the window below which the rate is not judged
 * @param failureRateWindowNanos the failure-rate window
 * @param maxEjectionPercent the largest share of members ejected at once
 * @param panicThresholdPercent below this share of available members, panic; 0 disables
 * @param healthyThreshold passed probes in a row that bring an endpoint back
 * @param unhealthyThreshold failed probes in a row that take it down
 */
public record HealthSettings(
    Ticker ticker,
    int consecutiveFailures,
    int failureRatePercent,
    int failureRateMinRequests,
    long failureRateWindowNanos,
    EjectionBackoff backoff,
    int maxEjectionPercent,
    int panicThresholdPercent,
    SlowStartRamp ramp,
    int healthyThreshold,
    int unhealthyThreshold) {}
