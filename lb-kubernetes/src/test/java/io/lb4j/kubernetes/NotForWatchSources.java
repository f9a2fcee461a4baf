package io.lb4j.kubernetes;

import java.util.Set;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Disables the contract tests a watch-based source cannot pass as written, each with its reason
 * in the test report. {@code failedQueriesKeepTheLastKnownListAndShowInTheStatus} stops the
 * registry after the first answer: the open watch drops and fabric8's watch manager reconnects on
 * its own, without a callback, so the failures do not reach {@code status()} (the list is kept,
 * which {@code KubernetesServerListTest} checks).
 */
final class NotForWatchSources implements ExecutionCondition {
  private static final Set<String> DISABLED = Set.of("failedQueriesKeepTheLastKnownListAndShowInTheStatus");

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return context.getTestMethod().filter(m -> DISABLED.contains(m.getName()))
        .map(m -> ConditionEvaluationResult.disabled("fabric8 reconnects a dropped watch without"
            + " reporting the failures; the kept list is tested in KubernetesServerListTest"))
        .orElse(ConditionEvaluationResult.enabled("contract test"));
  }
}
