package io.lb4j.okhttp.internal;

import io.lb4j.core.NoEndpointAvailableException;
import io.lb4j.core.Pick;
import io.lb4j.core.PickContext;
import io.lb4j.okhttp.HedgingPolicy;
import io.lb4j.okhttp.internal.RequestSentMarker.Attempt;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Interceptor.Chain;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one hedged call of one service: its attempts are calls of their own on the attempt client,
 * started one per hedging delay (at once after a failure or a non-fatal status), each to an
 * endpoint the call has not tried, the hedges paid from the retry budget. The first other answer
 * wins; the attempts still running are canceled and their picks given back. The call's own
 * thread waits for the outcomes, checking every 10 ms for the call's cancel (OkHttp offers no
 * callback for it); the call timeout, which cancels the call, bounds the set, each attempt's own
 * call timeout being the time left. Attempts running when it fires are their endpoints' failures,
 * except those launched so late that they ran less than a tenth of it.
 *
 * <p>One instance per call. Its state belongs to the call's thread; attempts' callbacks only hand
 * their outcome over through a queue, or close it if the attempt was abandoned meanwhile.
 */
public final class HedgedCall {
  private static final Logger log = LoggerFactory.getLogger(HedgedCall.class);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  // A delivered outcome is queued right after its claim: only a descheduled thread delays it.
  private static final long LATE_OUTCOME_BOUND_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final Chain chain;
  private final ServiceRoute route;
  private final AttemptRouting routing;
  private final RetryPolicy policy;
  private final HedgingPolicy hedging;
  private final OkHttpClient client;
  private final AttemptOutcomes<Outcome> outcomes;
  private final List<Running> running = new ArrayList<>();
  private final List<IOException> failures = new ArrayList<>();
  private final long callStart;
  private final long callTimeoutNanos;
  private int launched;
  private boolean mayHedge = true;
  // The latest non-fatal status, detached, in case nothing better comes.
  private Response lastAnswer;

  /** A hedged call; {@code trace} records its attempts, or is null when tracing is off. */
  public HedgedCall(Chain chain, ServiceRoute route, RetryPolicy policy, HedgingPolicy hedging,
      OkHttpClient client, boolean preserveHost, TracedCall trace) {
    this.chain = chain;
    this.route = route;
    this.routing = new AttemptRouting(route, preserveHost, true, trace);
    this.policy = policy;
    this.hedging = hedging;
    this.client = client;
    this.callStart = policy.ticker().read();
    this.callTimeoutNanos = chain.call().timeout().timeoutNanos();
    this.outcomes = new AttemptOutcomes<>();
  }

  /**
   * Runs the call: the winning answer, or the last non-fatal answer, or the last failure with
   * every earlier one attached as suppressed.
   */
  public Response proceed() throws IOException {
    Request request = chain.request();
    PickContext context = route.contextFor(request);
    route.budget().deposit();
    long nextHedgeAt;
    try {
      // An attempt that could not start is a failure: the next hedge goes at once.
      nextHedgeAt = launch(request, context) ? now() + delayNanos() : now();
    } catch (NoEndpointAvailableException e) {
      throw routing.noEndpoint(e);
    }
    try {
      while (true) {
        if (chain.call().isCanceled()) {
          abandonRunning(deadlineReached(), AttemptRouting.CANCELED_BY_CALLER);
          failures.add(new IOException("Canceled"));
          throw lastFailure();
        }
        long now = now();
        boolean hedgePending = mayHedge && launched < hedging.maxAttempts();
        if (hedgePending && now >= nextHedgeAt) {
          nextHedgeAt = hedge(request, context) ? now + delayNanos() : now;
          continue;
        }
        if (running.isEmpty()) {
          return answerOrFailure();
        }
        long wait = hedgePending ? Math.min(POLL_NANOS, nextHedgeAt - now) : POLL_NANOS;
        Outcome outcome = outcomes.poll(wait);
        if (outcome == null) {
          continue;
        }
        running.remove(outcome.attempt);
        Response answer = outcome.response;
        if (answer != null && !hedging.nonFatalStatuses().contains(answer.code())) {
          abandonRunning(false, AttemptRouting.LOST_HEDGE);
          return winner(outcome);
        }
        recordLoss(outcome);
        nextHedgeAt = now; // a failure or a non-fatal status: the next hedge goes at once
      }
    } catch (RuntimeException | Error e) {
      // A bug below us (launching, routing, recording): the attempts running must still end.
      abandonRunning(false, AttemptRouting.FAILED_BELOW);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandonRunning(false, AttemptRouting.INTERRUPTED);
      InterruptedIOException interrupted = new InterruptedIOException("interrupted while hedging");
      interrupted.initCause(e);
      throw interrupted;
    }
  }

  private Response winner(Outcome outcome) {
    if (lastAnswer != null) {
      lastAnswer.close();
    }
    Running attempt = outcome.attempt;
    Response response = outcome.response;
    // No body: OkHttp freed the connection, and the caller need not close the response.
    if (response.code() >= 500 || BodyShape.isEmpty(response.request(), response)) {
      routing.recordStatus(attempt.pick, attempt.number, outcome.elapsed, response.code());
      return response;
    }
    // The body belongs to the attempt's call: canceling the caller's call must stop its reads.
    // The caller's call timeout reaches the read as that cancel, not as a timeout: the clock
    // tells the two apart there.
    CancelRelay.onCancel(chain.call(), attempt.call::cancel);
    return routing.recordOnBodyEnd(response, attempt.pick, attempt.number, outcome.elapsed,
        () -> elapsedSince(attempt.start), failure -> chain.call().isCanceled()
            && !AttemptRouting.isCallTimeout(failure) && !deadlineReached());
  }

  private void recordLoss(Outcome outcome) {
    Running attempt = outcome.attempt;
    if (outcome.response == null) {
      recordFailed(attempt, outcome.elapsed, outcome.failure);
      failures.add(outcome.failure);
      return;
    }
    Response response = outcome.response;
    routing.recordStatus(attempt.pick, attempt.number, outcome.elapsed, response.code());
    String endpointId = attempt.pick.endpoint().id();
    failures.add(new HttpStatusFailure(response.code(), endpointId, attempt.number));
    if (lastAnswer != null) {
      lastAnswer.close();
    }
    lastAnswer = AttemptRouting.detach(response);
  }

  private Response answerOrFailure() throws IOException {
    if (lastAnswer != null) {
      return lastAnswer;
    }
    throw lastFailure();
  }

  /**
   * Sends the next hedge if an untried endpoint, budget and time remain; else stops hedging.
   * Returns whether an attempt started.
   */
  private boolean hedge(Request request, PickContext context) {
    // Every eligible endpoint was tried: a hedge must never go to the same instance twice.
    if (!routing.hasUntried(context) || (callTimeoutNanos > 0 && remainingNanos() <= 0)) {
      mayHedge = false;
      return false;
    }
    // Hedges are retries sent early: the same budget keeps them off a struggling fleet.
    if (!route.budget().tryWithdraw()) {
      route.warnBudgetExhausted(log);
      mayHedge = false;
      return false;
    }
    try {
      return launch(request, context);
    } catch (NoEndpointAvailableException | IllegalStateException e) {
      routing.refusal(e); // rethrows a bug; a closed balancer only ends hedging, as no endpoint does
      mayHedge = false;
      return false;
    }
  }

  /**
   * Starts an attempt on a picked endpoint. Returns false if the endpoint could not be addressed:
   * its failure, recorded, and nothing sent.
   */
  private boolean launch(Request request, PickContext context) {
    Pick pick = routing.pickPermitted(context, launched + 1);
    context.exclude(pick.endpoint());
    launched++;
    Attempt marker = new Attempt();
    Call call;
    try {
      call = client.newCall(routing.routed(request, pick.endpoint(), marker));
    } catch (UnaddressableEndpointException e) {
      routing.recordFailure(pick, launched, 0, e);
      failures.add(e);
      return false;
    } catch (RuntimeException | Error e) {
      routing.giveBack(pick, launched, AttemptRouting.FAILED_BELOW);
      throw e;
    }
    if (callTimeoutNanos > 0) {
      call.timeout().timeout(Math.max(1, remainingNanos()), TimeUnit.NANOSECONDS);
    }
    Running attempt = new Running(launched, pick, call, now());
    running.add(attempt);
    call.enqueue(new Callback() {
      @Override
      public void onResponse(Call call, Response response) {
        long elapsed = elapsedSince(attempt.start);
        attempt.deliver(new Outcome(attempt, marker.restore(response), null, elapsed));
      }

      @Override
      public void onFailure(Call call, IOException e) {
        long elapsed = elapsedSince(attempt.start);
        IOException failure = routing.attributed(pick.endpoint(), SentAttemptFailure.unwrap(e));
        attempt.deliver(new Outcome(attempt, null, failure, elapsed));
      }
    });
    return true;
  }

  /**
   * Cancels every attempt still running: given back (lost a race, or the caller gave up), or the
   * endpoint's failure if the call timeout fired. Answers that arrived meanwhile lost too;
   * failures that arrived meanwhile are failures. {@code why} they were given back goes in the
   * trace.
   */
  private void abandonRunning(boolean timedOut, String why) {
    int delivered = 0;
    for (Running attempt : running) {
      if (!outcomes.abandon(attempt.slot)) {
        delivered++; // its outcome is in the queue, or about to be: taken below
        continue;
      }
      attempt.call.cancel();
      if (timedOut) {
        // Worded as OkHttp words its call timeout, which this is.
        IOException timeout = new InterruptedIOException("timeout");
        recordFailed(attempt, elapsedSince(attempt.start), timeout);
      } else {
        routing.giveBack(attempt.pick, attempt.number, why);
      }
    }
    running.clear();
    List<Outcome> lateOutcomes = outcomes.takeClaimed(delivered, LATE_OUTCOME_BOUND_NANOS);
    if (lateOutcomes.size() < delivered) {
      log.warn("service '{}': {} hedged attempt outcomes never arrived; their picks stay in flight",
          route.name(), delivered - lateOutcomes.size());
    }
    for (Outcome late : lateOutcomes) {
      if (late.response == null) {
        // It failed on its own before we gave up on it (its own timeout, a reset).
        recordFailed(late.attempt, late.elapsed, late.failure);
      } else {
        late.response.close();
        routing.giveBack(late.attempt.pick, late.attempt.number, why);
      }
    }
  }

  /**
   * The endpoint's failure; but a call timeout that ended an attempt launched moments before it
   * (which ran less than a tenth of the call timeout) says nothing of its endpoint: given back.
   */
  private void recordFailed(Running attempt, long elapsed, IOException failure) {
    if (AttemptRouting.isCallTimeout(failure) && elapsed < callTimeoutNanos / 10) {
      routing.giveBack(attempt.pick, attempt.number, "the call timeout fired as it began");
    } else {
      routing.recordFailure(attempt.pick, attempt.number, elapsed, failure);
    }
  }

  private long delayNanos() {
    RecentLatencies latencies = route.latencies();
    return hedging.delayNanos(latencies == null ? 0 : latencies.percentileNanos());
  }

  private long now() {
    return policy.ticker().read();
  }

  private long remainingNanos() {
    return callTimeoutNanos - elapsedSince(callStart);
  }

  private boolean deadlineReached() {
    return AttemptRouting.deadlineReached(callTimeoutNanos, remainingNanos());
  }

  private long elapsedSince(long start) {
    return Math.max(0, now() - start);
  }

  private IOException lastFailure() {
    return AttemptRouting.lastFailure(failures);
  }

  /** One attempt in flight; its outcome is delivered or it is abandoned, exactly once. */
  private final class Running {
    final int number;
    final Pick pick;
    final Call call;
    final long start;
    final AttemptOutcomes.Slot slot = new AttemptOutcomes.Slot();

    Running(int number, Pick pick, Call call, long start) {
      this.number = number;
      this.pick = pick;
      this.call = call;
      this.start = start;
    }

    void deliver(Outcome outcome) {
      if (!outcomes.deliver(slot, outcome) && outcome.response != null) {
        outcome.response.close(); // abandoned: its pick is already given back
      }
    }
  }

  private record Outcome(Running attempt, Response response, IOException failure, long elapsed) {}
}
