package org.tunnelwatch.probe;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.Prerequisites;
import org.tunnelwatch.probe.icmp.IcmpEngine;
import org.tunnelwatch.probe.icmp.IcmpMode;
import org.tunnelwatch.probe.icmp.IcmpUnavailableException;
import org.tunnelwatch.probe.icmp.NativeEchoProber;

/**
 * The native engine on unprivileged ping sockets against the shared contract. Ping sockets are
 * off in the root namespace here ({@code ping_group_range} is "1 0"), so every probe runs in a
 * test namespace that allows them, the loopback cases included.
 */
class NativePingSocketProberIT extends EchoProberContract {

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  @Override
  EchoProber prober(TestNamespace namespace) {
    Prerequisites.requireRoot("to set net.ipv4.ping_group_range inside a test namespace");
    TestNamespace where = namespace;
    if (where == null) {
      where = new TestNamespace();
      opened.add(where);
    }
    where.allowPingSockets();
    try {
      IcmpEngine engine = IcmpEngine.open(IcmpMode.PING_SOCKET, where.socketContext());
      opened.add(0, engine);
      return new NativeEchoProber(engine);
    } catch (IcmpUnavailableException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  @Test
  void whereThePingGroupRangeExcludesUsTheModeIsRefusedWithTheReason() {
    Prerequisites.requireRoot("to create a network namespace");
    try (TestNamespace ns = new TestNamespace()) {
      // A new namespace starts with ping sockets off: "1 0", an empty range.
      assertThatThrownBy(() -> IcmpEngine.open(IcmpMode.PING_SOCKET, ns.socketContext()))
          .isInstanceOf(IcmpUnavailableException.class)
          .hasMessageContaining("net.ipv4.ping_group_range is \"1 0\"");
    }
  }
}
