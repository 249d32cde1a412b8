package org.tunnelwatch.tunnel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.config.TunnelSettings;
import org.tunnelwatch.probe.AsyncEchoProber;
import org.tunnelwatch.probe.EchoCallback;
import org.tunnelwatch.probe.EchoRequest;
import org.tunnelwatch.probe.EchoResult;

/**
 * Sends a round's echoes to all of a tunnel's targets at the same time, so that a round with
 * several targets takes as long as one, and holds no thread while they fly: {@link #start}
 * returns at once and the round's continuation gets every target's result together, on the
 * prober's thread (which must not be blocked: hand the work on).
 *
 * <p>Thread-safe.
 */
public final class RoundProber {

  private final AsyncEchoProber prober;

  public RoundProber(AsyncEchoProber prober) {
    this.prober = prober;
  }

  /** The requests of one round of {@code tunnel}: one per target. Immutable, so reused by every round. */
  public static List<EchoRequest> requestsFor(TunnelConfig tunnel) {
    List<EchoRequest> requests = new ArrayList<>();
    for (var target : tunnel.targets()) {
      requests.add(
          new EchoRequest(
              tunnel.source(), target, tunnel.settings().count(), TunnelSettings.ECHO_SPACING, tunnel.settings().timeout()));
    }
    return List.copyOf(requests);
  }

  /**
   * Submits {@code requests} and calls {@code done} once with their results, in the same order,
   * when the last one is in. {@code done} runs on the prober's thread, or on the caller's if the
   * prober answers at once.
   */
  public void start(List<EchoRequest> requests, Consumer<List<EchoResult>> done) {
    Round round = new Round(requests, done);
    for (EchoRequest request : requests) {
      try {
        prober.submit(request, round);
      } catch (RuntimeException e) {
        // The contract says probers never throw; a bug in one must still not lose the round.
        round.completed(request, EchoResult.error(request.target(), "prober failed: " + e));
      }
    }
  }

  /** Blocks for one round's results: for the one-shot {@code probe} command, not for the agent. */
  public List<EchoResult> probe(List<EchoRequest> requests) {
    CompletableFuture<List<EchoResult>> results = new CompletableFuture<>();
    start(requests, results::complete);
    return results.join();
  }

  /** Which engine sends the echoes, for logs. */
  public String name() {
    return prober.name();
  }

  /**
   * Collects one round's results. Each slot is written once by its request's callback before the
   * countdown; the callback that brings the count to zero sees every slot (the atomic's ordering)
   * and hands them on.
   */
  private static final class Round implements EchoCallback {

    private final List<EchoRequest> requests;
    private final EchoResult[] results;
    private final AtomicInteger missing;
    private final Consumer<List<EchoResult>> done;

    Round(List<EchoRequest> requests, Consumer<List<EchoResult>> done) {
      this.requests = requests;
      this.results = new EchoResult[requests.size()];
      this.missing = new AtomicInteger(requests.size());
      this.done = done;
      if (requests.isEmpty()) {
        done.accept(List.of());
      }
    }

    @Override
    public void completed(EchoRequest request, EchoResult result) {
      for (int i = 0; i < results.length; i++) {
        if (requests.get(i) == request && results[i] == null) {
          results[i] = result;
          break;
        }
      }
      if (missing.decrementAndGet() == 0) {
        done.accept(Arrays.asList(results));
      }
    }
  }
}
