package org.tunnelwatch.agent;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.config.BackendConfig;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.exec.CommandRunner;
import org.tunnelwatch.exec.ProcessCommandRunner;
import org.tunnelwatch.ipsec.IpsecBackend;
import org.tunnelwatch.ipsec.libreswan.LibreswanBackend;
import org.tunnelwatch.ipsec.swanctl.SwanctlBackend;
import org.tunnelwatch.ipsec.vici.ViciBackend;
import org.tunnelwatch.ipsec.vici.ViciEventStream;
import org.tunnelwatch.ipsec.vici.ViciSaEvents;
import org.tunnelwatch.probe.LinkStateReader;
import org.tunnelwatch.probe.icmp.IcmpEngine;
import org.tunnelwatch.probe.icmp.SocketContext;
import org.tunnelwatch.remedy.ActionRunner;
import org.tunnelwatch.remedy.BackendActionRunner;
import org.tunnelwatch.remedy.DryRunActionRunner;
import org.tunnelwatch.time.TimeSource;
import org.tunnelwatch.tunnel.RoundListener;
import org.tunnelwatch.state.HistoryRecorder;
import org.tunnelwatch.tunnel.BackendHealth;
import org.tunnelwatch.state.ActiveMembersFile;
import org.tunnelwatch.tunnel.EventFanout;
import org.tunnelwatch.tunnel.FailoverControl;
import org.tunnelwatch.tunnel.RoundProber;
import org.tunnelwatch.tunnel.RepairCoordinator;
import org.tunnelwatch.tunnel.PeerCheck;
import org.tunnelwatch.tunnel.IkePeerCheck;
import org.tunnelwatch.ipsec.strongswan.ReauthMode;
import org.tunnelwatch.tunnel.SaEventRouter;
import org.tunnelwatch.tunnel.SaReader;
import org.tunnelwatch.tunnel.ServiceRestarts;
import org.tunnelwatch.tunnel.TunnelEvents;
import org.tunnelwatch.tunnel.TunnelSupervisor;
import org.tunnelwatch.tunnel.UplinkMonitor;

/**
 * Builds the parts that watch and repair tunnels from a configuration: the one place that knows
 * which implementation goes behind each interface. Used by the agent and by the one-shot {@code
 * probe} command.
 */
public final class Wiring implements AutoCloseable {

  /**
   * Threads that judge rounds once their echoes are in. Judging takes microseconds beside the SA
   * read, which all tunnels share (one daemon call per half interval), so two keep up with
   * thousands of tunnels.
   */
  private static final int JUDGING_THREADS = 2;

  /**
   * Threads that carry out repairs, which block for seconds. A tunnel has one round, hence one
   * repair, at a time; this many tunnels are repaired at once and the rest queue, none of them
   * holding up any tunnel's judging.
   */
  private static final int REPAIR_THREADS = 8;

  private final AgentConfig config;
  private final ProcessCommandRunner runner;
  private final IpsecBackend backend;
  /**
   * The failover switches' own backend. With vici one connection carries one request at a time,
   * and a repair's initiate may hold it until the backend's timeout (28 s in the lab after a hub's
   * clean stop), while the group's traffic waited for its switch behind it.
   */
  private final IpsecBackend switchingBackend;
  private final ActionRunner actions;
  private final ServiceRestarts serviceRestarts = new ServiceRestarts();
  private final ExecutorService judgingPool;
  /** The judging pool, fed the results of each of the engine's wake-ups as one task. */
  private final BatchingExecutor judging;
  private final ExecutorService repairs;
  /** Asks the daemon for its SAs, so that a hung daemon holds up no round (see SaReader). */
  private final ExecutorService saReads;
  private final TimeSource time;
  private SaReader sas;
  private RepairCoordinator coordinator;
  /** The failover groups of the supervisors built last (none before {@link #supervisors}). */
  private FailoverControl failover;
  /** Carries failover switches out, one at a time, off the judging threads. */
  private final ExecutorService switches;
  /** How charon reauthenticates, found out once per configuration (strongswan.conf is read). */
  private final ReauthMode reauthMode;
  private ViciEventStream events;
  private final ProbeEngineSelection.Selected echoEngine;

  /**
   * @throws AgentStartException when the configured {@code probe-engine} cannot work here
   */
  public Wiring(AgentConfig config, TimeSource time) throws AgentStartException {
    this.config = config;
    this.time = time;
    this.runner = new ProcessCommandRunner();
    this.saReads = pool("sa-reader", 1);
    this.echoEngine = ProbeEngineSelection.select(config.probeEngine(), SocketContext.callingThread(), runner);
    this.backend = backendFor(config.backend(), runner);
    this.switchingBackend = config.failover().isEmpty() ? backend : backendFor(config.backend(), runner);
    this.actions = config.dryRun() ? new DryRunActionRunner() : new BackendActionRunner(backend);
    this.judgingPool = pool("round-judge", JUDGING_THREADS);
    this.judging = new BatchingExecutor(judgingPool);
    echoEngine.prober().deliverWithin(judging::gather);
    this.repairs = pool("repair", REPAIR_THREADS);
    this.switches = pool("failover", 1);
    this.reauthMode = ReauthMode.forBackend(config.backend());
  }

  /** A fixed pool of daemon threads that end when idle, so that a quiet agent holds few. */
  private static ExecutorService pool(String name, int threads) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, name + "-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * As {@link #supervisors}, for the running agent: the remediation history is loaded from {@code
   * state-dir} into the supervisors and saved there after each action (see {@link
   * HistoryRecorder}), except in dry-run. The one-shot commands, which never act, leave the directory alone.
   */
  public List<TunnelSupervisor> supervisorsKeepingHistory(TunnelEvents events, RoundListener rounds) {
    HistoryRecorder history = new HistoryRecorder(config.stateDir(), serviceRestarts, time, events);
    // A dry run reads the history but never saves it: its skipped actions, saved, would count
    // against the hourly limit of the live agent that follows it (the package installs in dry-run).
    TunnelEvents heard = config.dryRun() ? events : new EventFanout(List.of(events, history));
    List<TunnelSupervisor> supervisors = supervisors(heard, rounds);
    history.restore(supervisors);
    return supervisors;
  }

  /**
   * One supervisor per configured tunnel, sharing probers, backend and uplink monitor; {@code
   * rounds} hears when each tunnel's rounds begin and end.
   */
  public List<TunnelSupervisor> supervisors(TunnelEvents events, RoundListener rounds) {
    UplinkMonitor uplinks = new UplinkMonitor(config.uplinks(), new LinkStateReader(), events);
    uplinks.checkAll();
    sas = new SaReader(backend, time, saMaxAge(), new BackendHealth(backend.name(), events), saReads);
    // Unknown counts as off: planning as if a reauthentication interrupts costs a little speed
    // where it does not; the other way round it costs outages.
    failover =
        new FailoverControl(
            config.failover(), config.tunnels(), switchingBackend, config.dryRun(), time, events, new ActiveMembersFile(config.stateDir()), switches);
    coordinator =
        new RepairCoordinator(reauthMode.isMakeBeforeBreak(), config.repairs(), events::collateralOutage, failover::standing);
    TunnelEvents heard = failover.isEmpty() ? events : new EventFanout(List.of(events, failover));
    TunnelSupervisor.Collaborators with =
        new TunnelSupervisor.Collaborators(
            new RoundProber(echoEngine.prober()),
            uplinks,
            sas,
            actions,
            serviceRestarts,
            heard,
            time,
            judging,
            repairs,
            coordinator,
            config.dryRun() ? PeerCheck.NONE : new IkePeerCheck());
    List<TunnelSupervisor> supervisors = new ArrayList<>();
    for (TunnelConfig tunnel : config.tunnels()) {
      supervisors.add(new TunnelSupervisor(tunnel, with, rounds));
    }
    return supervisors;
  }

  /**
   * The configured backend; {@code auto} picks vici when charon's socket exists now, so that a
   * gateway with the socket needs no setting and one without it keeps working through swanctl.
   */
  static IpsecBackend backendFor(BackendConfig config, CommandRunner runner) {
    return switch (config.effectiveType(Files::exists)) {
      case VICI -> new ViciBackend(config, runner);
      case LIBRESWAN -> new LibreswanBackend(config, runner);
      default -> new SwanctlBackend(config, runner);
    };
  }

  /**
   * With the vici backend, listens to charon's SA events and starts a tunnel's round as soon as
   * its SA goes down ({@code runNow} takes the tunnel's name); with swanctl there are no events
   * and rounds alone decide. Call after {@link #supervisors}; {@link #close()} stops listening.
   */
  public void watchEvents(List<TunnelSupervisor> supervisors, Consumer<String> runNow) {
    if (!(backend instanceof ViciBackend) || supervisors.isEmpty() || sas == null) {
      return;
    }
    SaEventRouter router = new SaEventRouter(supervisors, sas, runNow, failover::childRekeyed);
    events = ViciSaEvents.start(ViciBackend.socketPath(config.backend().uri()), router, Duration.ofSeconds(5));
  }

  /** Which echo engine probes, and why that one: "native ICMP (raw ICMP sockets) (as configured)". */
  public String echoEngine() {
    return echoEngine.prober().name() + " (" + echoEngine.why() + ")";
  }

  /**
   * Runs {@code starts} (round starts on this thread) as one batch for the echo engine, which
   * then wakes once for all of them.
   */
  public void startTogether(Runnable starts) {
    echoEngine.prober().submitTogether(starts);
  }

  /** The native ICMP engine that sends the echoes, unless the {@code ping} program does. */
  public Optional<IcmpEngine> icmpEngine() {
    return echoEngine.engine();
  }

  public IpsecBackend backend() {
    return backend;
  }

  public ActionRunner actions() {
    return actions;
  }

  public ServiceRestarts serviceRestarts() {
    return serviceRestarts;
  }

  /** The coordinator of the supervisors built last (null before {@link #supervisors}). */
  public RepairCoordinator coordinator() {
    return coordinator;
  }

  /** The failover groups of the supervisors built last (null before {@link #supervisors}). */
  public FailoverControl failover() {
    return failover;
  }

  /** How charon reauthenticates, as found out when this wiring was built. */
  public ReauthMode reauthMode() {
    return reauthMode;
  }

  /**
   * SAs are read once for all tunnels per half of the shortest interval: fresh enough for every
   * round, and one daemon call however many tunnels there are.
   */
  private Duration saMaxAge() {
    return config.tunnels().stream()
        .map(t -> t.settings().interval().dividedBy(2))
        .min(Duration::compareTo)
        .orElse(Duration.ofSeconds(1));
  }

  /**
   * Starts no more programs and kills those running, with everything they started, and cuts the
   * daemon's connection (SIGTERM): a repair or SA read under way ends at once, as a failure.
   */
  public void halt() {
    runner.close();
    closeBackends();
  }

  @Override
  public void close() {
    if (events != null) {
      events.close();
    }
    runner.close();
    judgingPool.shutdownNow();
    repairs.shutdownNow();
    switches.shutdownNow();
    saReads.shutdownNow();
    echoEngine.close();
    closeBackends();
  }

  private void closeBackends() {
    for (IpsecBackend b : List.of(backend, switchingBackend)) {
      if (b instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          // Closing a socket on the way out; nothing to do about a failure.
        }
      }
    }
  }
}
