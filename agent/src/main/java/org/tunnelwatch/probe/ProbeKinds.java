package org.tunnelwatch.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.tunnelwatch.probe.connect.ConnectEngine;

/**
 * Sends each request to the engine for its kind: ICMP echoes to the echo engine the agent chose,
 * TCP and UDP probes to a {@link ConnectEngine}, which is started with the first such request, so
 * that an agent probing only with ICMP runs no extra thread.
 *
 * <p>Thread-safe.
 */
public final class ProbeKinds implements AsyncEchoProber {

  private final AsyncEchoProber echoes;
  private volatile Consumer<Runnable> scope;
  private ConnectEngine connects; // guarded by this

  public ProbeKinds(AsyncEchoProber echoes) {
    this.echoes = echoes;
  }

  @Override
  public void submit(EchoRequest request, EchoCallback callback) {
    if (request.kind() == ProbeKind.ICMP) {
      echoes.submit(request, callback);
      return;
    }
    AsyncEchoProber engine;
    try {
      engine = connects();
    } catch (UncheckedIOException e) {
      callback.completed(request, EchoResult.error(request.target(), "cannot start the TCP/UDP probe engine: " + e.getMessage()));
      return;
    }
    engine.submit(request, callback);
  }

  private synchronized ConnectEngine connects() {
    if (connects == null) {
      try {
        connects = ConnectEngine.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (scope != null) {
        connects.deliverWithin(scope);
      }
    }
    return connects;
  }

  @Override
  public void submitTogether(Runnable submissions) {
    echoes.submitTogether(submissions);
  }

  @Override
  public synchronized void deliverWithin(Consumer<Runnable> scope) {
    this.scope = scope;
    echoes.deliverWithin(scope);
    if (connects != null) {
      connects.deliverWithin(scope);
    }
  }

  /** The echo engine's name: the connect engine, if started, is named in its own log lines. */
  @Override
  public String name() {
    return echoes.name();
  }

  @Override
  public synchronized void close() {
    echoes.close();
    if (connects != null) {
      connects.close();
    }
  }
}
