package org.tunnelwatch.probe;

import org.tunnelwatch.exec.ProcessCommandRunner;

/** The ping-program engine against the shared contract. */
class PingProgramProberTest extends EchoProberContract {

  @Override
  EchoProber prober(TestNamespace namespace) {
    return new PingProgramProber(namespace == null ? new ProcessCommandRunner() : namespace.runner(), "ping");
  }
}
