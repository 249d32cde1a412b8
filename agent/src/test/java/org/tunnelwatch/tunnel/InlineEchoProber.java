package org.tunnelwatch.tunnel;

import org.tunnelwatch.probe.AsyncEchoProber;
import org.tunnelwatch.probe.EchoCallback;
import org.tunnelwatch.probe.EchoProber;
import org.tunnelwatch.probe.EchoRequest;

/**
 * A blocking test prober behind the asynchronous contract, answering on the submitting thread
 * before {@code submit} returns (which the contract allows), so that tests of the supervisor's
 * decisions run a whole round in one call. A prober that throws throws out of {@code submit}.
 */
final class InlineEchoProber implements AsyncEchoProber {

  private final EchoProber prober;

  InlineEchoProber(EchoProber prober) {
    this.prober = prober;
  }

  @Override
  public void submit(EchoRequest request, EchoCallback callback) {
    callback.completed(request, prober.probe(request));
  }

  @Override
  public String name() {
    return prober.name();
  }

  @Override
  public void close() {}
}
