package org.tunnelwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.NativeThreadContext;
import org.tunnelwatch.Prerequisites;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.config.ConfigLoader;
import org.tunnelwatch.config.InvalidConfigException;
import org.tunnelwatch.config.ProbeEngine;
import org.tunnelwatch.exec.ProcessCommandRunner;
import org.tunnelwatch.probe.TestNamespace;
import org.tunnelwatch.probe.icmp.IcmpMode;
import org.tunnelwatch.probe.icmp.SocketContext;

/**
 * The choice of engine, made for real: sockets are opened on threads that have or lack
 * CAP_NET_RAW, in namespaces that allow ping sockets or not.
 */
class ProbeEngineSelectionIT {

  private static ProbeEngineSelection.Selected select(ProbeEngine configured, SocketContext context) throws AgentStartException {
    return ProbeEngineSelection.select(configured, context, new ProcessCommandRunner());
  }

  @Test
  void autoTakesRawSocketsWhereTheProcessHasCapNetRaw() throws Exception {
    Prerequisites.requireRoot("raw sockets need CAP_NET_RAW");
    try (var selected = select(ProbeEngine.AUTO, SocketContext.callingThread())) {
      assertThat(selected.engine()).get().extracting(e -> e.mode()).isEqualTo(IcmpMode.RAW);
      assertThat(selected.why()).isEqualTo("raw ICMP sockets are allowed");
    }
  }

  @Test
  void autoTakesPingSocketsWithoutCapNetRawWhereTheGroupRangeAllowsThem() throws Exception {
    Prerequisites.requireRoot("to create a namespace and drop CAP_NET_RAW");
    try (TestNamespace ns = new TestNamespace().allowPingSockets();
        var selected = select(ProbeEngine.AUTO, new NativeThreadContext(ns.name, true))) {
      assertThat(selected.engine()).get().extracting(e -> e.mode()).isEqualTo(IcmpMode.PING_SOCKET);
      assertThat(selected.why()).contains("lacks CAP_NET_RAW");
    }
  }

  @Test
  void autoFallsBackToThePingProgramAndSaysWhy() throws Exception {
    Prerequisites.requireRoot("to create a namespace and drop CAP_NET_RAW");
    try (TestNamespace ns = new TestNamespace();
        var selected = select(ProbeEngine.AUTO, new NativeThreadContext(ns.name, true))) {
      assertThat(selected.engine()).isEmpty();
      assertThat(selected.prober().name()).startsWith("ping program");
      assertThat(selected.why())
          .contains("the process lacks CAP_NET_RAW")
          .contains("net.ipv4.ping_group_range is \"1 0\"")
          .contains("falling back to a ping process per probe");
    }
  }

  @Test
  void aNamedEngineThatCannotWorkStopsTheStartWithTheReason() {
    Prerequisites.requireRoot("to drop CAP_NET_RAW");
    assertThatThrownBy(() -> select(ProbeEngine.RAW, new NativeThreadContext(null, true)))
        .isInstanceOf(AgentStartException.class)
        .hasMessageStartingWith("probe-engine raw cannot work here: raw ICMP socket refused")
        .hasMessageContaining("CAP_NET_RAW");
  }

  @Test
  void checkConfigRefusesANamedEngineThatCannotWorkInTheWordsOfTheStart() {
    Prerequisites.requireRoot("to drop CAP_NET_RAW");
    NativeThreadContext withoutCapNetRaw = new NativeThreadContext(null, true);
    AgentConfig config = configWith(ProbeEngine.RAW);

    List<String> problems = StartChecks.problems(config, withoutCapNetRaw);

    assertThat(problems).singleElement().asString().startsWith("probe-engine raw cannot work here: raw ICMP socket refused");
    assertThatThrownBy(() -> select(ProbeEngine.RAW, withoutCapNetRaw)).hasMessage(problems.get(0));
    assertThat(StartChecks.problems(configWith(ProbeEngine.AUTO), withoutCapNetRaw)).isEmpty();
    assertThat(StartChecks.problems(config, SocketContext.callingThread())).as("with CAP_NET_RAW").isEmpty();
  }

  private static AgentConfig configWith(ProbeEngine engine) {
    try {
      return new ConfigLoader().parse("engine.yml", "probe-engine: " + engine.configName() + "\n");
    } catch (InvalidConfigException e) {
      throw new IllegalStateException(e.problems().toString());
    }
  }

  @Test
  void thePingProgramIsTakenWhenNamedEvenWhereRawSocketsWork() throws Exception {
    try (var selected = select(ProbeEngine.PING, SocketContext.callingThread())) {
      assertThat(selected.engine()).isEmpty();
      assertThat(selected.why()).isEqualTo("as configured");
    }
  }
}
