package org.tunnelwatch.tunnel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.config.TunnelSettings;
import org.tunnelwatch.probe.EchoProber;
import org.tunnelwatch.probe.EchoRequest;
import org.tunnelwatch.probe.EchoResult;

/**
 * Sends a round's echoes to all of a tunnel's targets at the same time, so that a round with
 * several targets takes as long as one. Thread-safe.
 */
public final class RoundProber {

  private final EchoProber prober;
  private final Executor executor;

  public RoundProber(EchoProber prober, Executor executor) {
    this.prober = prober;
    this.executor = executor;
  }

  public List<EchoResult> probe(TunnelConfig tunnel) {
    List<EchoRequest> requests = new ArrayList<>();
    for (var target : tunnel.targets()) {
      requests.add(
          new EchoRequest(
              tunnel.source(),
              target,
              tunnel.settings().count(),
              TunnelSettings.ECHO_SPACING,
              tunnel.settings().timeout()));
    }
    if (requests.size() == 1) {
      return List.of(probeSafely(requests.get(0)));
    }
    List<CompletableFuture<EchoResult>> running = new ArrayList<>();
    for (EchoRequest request : requests) {
      running.add(CompletableFuture.supplyAsync(() -> probeSafely(request), executor));
    }
    return running.stream().map(CompletableFuture::join).toList();
  }

  /** The contract says probers never throw; a bug in one must still not end the round. */
  private EchoResult probeSafely(EchoRequest request) {
    try {
      return prober.probe(request);
    } catch (RuntimeException e) {
      return EchoResult.error(request.target(), "prober failed: " + e);
    }
  }
}
