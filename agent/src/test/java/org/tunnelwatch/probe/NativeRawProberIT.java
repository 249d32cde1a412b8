package org.tunnelwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.NativeThreadContext;
import org.tunnelwatch.Prerequisites;
import org.tunnelwatch.probe.icmp.IcmpEngine;
import org.tunnelwatch.probe.icmp.IcmpMode;
import org.tunnelwatch.probe.icmp.IcmpUnavailableException;
import org.tunnelwatch.probe.icmp.NativeEchoProber;
import org.tunnelwatch.probe.icmp.SocketContext;

/** The native engine on raw ICMP sockets (needs CAP_NET_RAW: root) against the shared contract. */
class NativeRawProberIT extends EchoProberContract {

  private final List<IcmpEngine> engines = new ArrayList<>();

  @AfterEach
  void closeEngines() {
    engines.forEach(IcmpEngine::close);
  }

  @Override
  EchoProber prober(TestNamespace namespace) {
    Prerequisites.requireRoot("raw ICMP sockets need CAP_NET_RAW");
    try {
      IcmpEngine engine =
          IcmpEngine.open(IcmpMode.RAW, namespace == null ? SocketContext.callingThread() : namespace.socketContext());
      engines.add(engine);
      return new NativeEchoProber(engine);
    } catch (IcmpUnavailableException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  @Test
  void withoutCapNetRawTheModeIsRefusedWithTheReason() {
    Prerequisites.requireRoot("to drop CAP_NET_RAW from a thread that has it");
    assertThatThrownBy(() -> IcmpEngine.open(IcmpMode.RAW, new NativeThreadContext(null, true)))
        .isInstanceOf(IcmpUnavailableException.class)
        .hasMessageContaining("CAP_NET_RAW")
        .hasMessageContaining("Operation not permitted");
  }

  @Test
  void theNameSaysWhichSockets() {
    assertThat(prober(null).name()).isEqualTo("native ICMP (raw ICMP sockets)");
  }
}
