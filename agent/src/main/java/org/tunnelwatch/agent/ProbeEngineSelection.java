package org.tunnelwatch.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.config.ProbeEngine;
import org.tunnelwatch.exec.CommandRunner;
import org.tunnelwatch.probe.AsyncEchoProber;
import org.tunnelwatch.probe.PingProgramProber;
import org.tunnelwatch.probe.PooledEchoProber;
import org.tunnelwatch.probe.ProbeKinds;
import org.tunnelwatch.probe.icmp.IcmpEngine;
import org.tunnelwatch.probe.icmp.IcmpMode;
import org.tunnelwatch.probe.icmp.IcmpUnavailableException;
import org.tunnelwatch.probe.icmp.SocketContext;

/**
 * Chooses the echo engine from {@code probe-engine}: {@code auto} tries raw sockets, then ping
 * sockets, then the {@code ping} program, and logs which one it took and why the better ones
 * were refused; a named engine is used or the agent does not start.
 */
final class ProbeEngineSelection {

  private static final Logger log = LoggerFactory.getLogger(ProbeEngineSelection.class);
  static final String PING = "ping";
  /**
   * {@code ping} processes running at once with the program fallback. Each costs milliseconds of
   * CPU and a process; more at once than this would only make a small gateway slower.
   */
  static final int PING_PROCESSES = 16;
  /** Probes that may wait for a {@code ping} process; more are reported as overload. */
  static final int PING_QUEUE = 1024;

  /**
   * The chosen prober, which the owner closes, and the native engine behind it, if any.
   *
   * @param why the reason, for the log line
   */
  record Selected(AsyncEchoProber prober, Optional<IcmpEngine> engine, String why) implements AutoCloseable {
    @Override
    public void close() {
      prober.close();
    }
  }

  private ProbeEngineSelection() {}

  /** Chooses, logs the choice in one line, and returns it. */
  static Selected select(ProbeEngine configured, SocketContext context, CommandRunner runner) throws AgentStartException {
    Selected selected = choose(configured, context, runner);
    log.info("probe engine: {} (probe-engine: {}; {})", selected.prober().name(), configured.configName(), selected.why());
    return selected;
  }

  private static Selected choose(ProbeEngine configured, SocketContext context, CommandRunner runner)
      throws AgentStartException {
    switch (configured) {
      case RAW, PING_SOCKET -> {
        IcmpMode mode = configured == ProbeEngine.RAW ? IcmpMode.RAW : IcmpMode.PING_SOCKET;
        try {
          return nativeEngine(IcmpEngine.open(mode, context), "as configured");
        } catch (IcmpUnavailableException e) {
          throw new AgentStartException(cannotWork(configured, e));
        }
      }
      case PING -> {
        return program(runner, "as configured");
      }
      default -> {
        List<String> refusals = new ArrayList<>();
        for (IcmpMode mode : IcmpMode.values()) {
          try {
            IcmpEngine engine = IcmpEngine.open(mode, context);
            return nativeEngine(
                engine, refusals.isEmpty() ? mode.description() + " are allowed" : String.join("; ", refusals));
          } catch (IcmpUnavailableException e) {
            refusals.add(e.getMessage());
          }
        }
        return program(runner, String.join("; ", refusals) + "; falling back to a ping process per probe");
      }
    }
  }

  /**
   * Why a named engine would stop the start, judged by opening it and closing it again; empty for
   * {@code auto} and {@code ping}, which always find an engine. For {@code check-config}.
   */
  static Optional<String> refusal(ProbeEngine configured, SocketContext context) {
    if (configured != ProbeEngine.RAW && configured != ProbeEngine.PING_SOCKET) {
      return Optional.empty();
    }
    IcmpMode mode = configured == ProbeEngine.RAW ? IcmpMode.RAW : IcmpMode.PING_SOCKET;
    try (IcmpEngine engine = IcmpEngine.open(mode, context)) {
      return Optional.empty();
    } catch (IcmpUnavailableException e) {
      return Optional.of(cannotWork(configured, e));
    }
  }

  private static String cannotWork(ProbeEngine configured, IcmpUnavailableException e) {
    return "probe-engine " + configured.configName() + " cannot work here: " + e.getMessage();
  }

  /** TCP and UDP targets go to an engine of their own, started when the first one is probed. */
  private static Selected nativeEngine(IcmpEngine engine, String why) {
    return new Selected(new ProbeKinds(engine), Optional.of(engine), why);
  }

  private static Selected program(CommandRunner runner, String why) {
    return new Selected(
        new ProbeKinds(new PooledEchoProber(new PingProgramProber(runner, PING), PING_PROCESSES, PING_QUEUE)),
        Optional.empty(),
        why);
  }
}
