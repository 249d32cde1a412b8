package org.tunnelwatch.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.config.MaintenanceConfig;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.config.TunnelSettings;
import org.tunnelwatch.health.TunnelState;
import org.tunnelwatch.schedule.AgentScheduler;
import org.tunnelwatch.schedule.RoundClock;
import org.tunnelwatch.systemd.SystemdNotifier;
import org.tunnelwatch.telemetry.AgentMetrics;
import org.tunnelwatch.time.TimeSource;
import org.tunnelwatch.tunnel.EventFanout;
import org.tunnelwatch.tunnel.FailoverStatus;
import org.tunnelwatch.tunnel.RoundListener;
import org.tunnelwatch.tunnel.TunnelStatus;
import org.tunnelwatch.tunnel.TunnelSupervisor;

/**
 * One configuration at work: its wiring, a supervisor per tunnel, a round clock that starts the
 * probe rounds and a Quartz scheduler of its own with the maintenance and watchdog jobs. A reload
 * prepares the next generation completely before it stops this one, so that anything that can
 * fail fails while this one still runs.
 *
 * <p>A firing of the round clock only starts rounds, which then run without its thread (see
 * {@link TunnelSupervisor}); the scheduler needs a thread for the watchdog and one per
 * maintenance job, which blocks while its action runs.
 *
 * <p>Thread-safety: {@link #statuses()} may be called from any thread; the life-cycle methods
 * are called by the agent under its lock.
 */
final class Generation {

  private static final Logger log = LoggerFactory.getLogger(Generation.class);
  /** Quartz threads besides the maintenance jobs': the watchdog's. */
  private static final int WATCHDOG_THREADS = 1;
  /** Maintenance jobs beyond this many share threads (they are rare, cron-scheduled). */
  private static final int MAX_MAINTENANCE_THREADS = 4;
  /**
   * The finest spread of round starts over an interval: one clock firing per this much of it.
   * Each firing wakes the clock, the echo engine and a judging thread, and on these machines a
   * thread's wake-up costs more than a tunnel's round (measured: docs/benchmarks.md), so fewer,
   * fuller firings are cheaper. A slot's echoes leave in one burst (a hundred at 1,000 tunnels,
   * about 1.5 ms); their replies queue meanwhile, and the kernel's receive stamps keep that wait
   * out of the RTT.
   */
  private static final Duration SLOT = Duration.ofMillis(100);
  /**
   * The fewest tunnels a slot is opened for. The spread is for gateways with many tunnels; a few
   * tunnels' echoes leave together as a burst of a few packets, where spread out they would wake
   * the clock, the engine and a judging thread once per tunnel and echo (at 10 tunnels every 2 s,
   * most of an idle agent's wake-ups). 1,000 tunnels at 1 s keep their ten slots of 100.
   */
  private static final int FEWEST_PER_SLOT = 32;

  private final AgentConfig config;
  private final Wiring wiring;
  private final List<TunnelSupervisor> supervisors;
  private final AgentScheduler scheduler;
  private final RoundClock clock;
  private final Shared shared;

  private Generation(
      AgentConfig config,
      Wiring wiring,
      List<TunnelSupervisor> supervisors,
      AgentScheduler scheduler,
      RoundClock clock,
      Shared shared) {
    this.config = config;
    this.shared = shared;
    this.wiring = wiring;
    this.supervisors = List.copyOf(supervisors);
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /** What every generation reports to, and the agent's hook after each round. */
  record Shared(EventFanout events, AgentMetrics metrics, SystemdNotifier notifier, Runnable afterRound, TimeSource time) {}

  /**
   * Builds everything for {@code config} and schedules its jobs; nothing runs before {@link
   * #start()}. On failure nothing is left behind. {@code number} names the scheduler: Quartz keeps
   * schedulers by name, and the next generation's exists before this one stops.
   */
  static Generation prepare(AgentConfig config, Shared shared, int number)
      throws SchedulerException, AgentStartException {
    Wiring wiring = new Wiring(config, shared.time());
    AgentScheduler scheduler = null;
    RoundClock clock = new RoundClock("round-clock-" + number);
    try {
      RoundProgress progress = new RoundProgress();
      List<TunnelSupervisor> supervisors =
          wiring.supervisorsKeepingHistory(shared.events(), new RoundReporter(progress, config, shared));
      int threads = WATCHDOG_THREADS + Math.min(MAX_MAINTENANCE_THREADS, config.maintenance().size());
      scheduler = new AgentScheduler("tunnelwatch-" + number, threads);
      scheduleRounds(clock, supervisors, wiring, shared);
      scheduleMaintenance(scheduler, config, wiring, shared, limitsOf(supervisors));
      if (shared.notifier().watchdogInterval().isPresent()) {
        WatchdogTask watchdog = new WatchdogTask(progress, shared.notifier()::watchdog, shared.time());
        scheduler.every("watchdog", shared.notifier().watchdogInterval().get(), Duration.ZERO, watchdog);
      }
      Optional<NativeHeapTrim> trim = NativeHeapTrim.ifAvailable();
      if (trim.isPresent()) {
        scheduler.every("native-heap-trim", NativeHeapTrim.INTERVAL, NativeHeapTrim.INTERVAL, trim.get());
      }
      return new Generation(config, wiring, supervisors, scheduler, clock, shared);
    } catch (SchedulerException | RuntimeException e) {
      clock.close();
      if (scheduler != null) {
        scheduler.close();
      }
      wiring.close();
      throw e;
    }
  }

  /** Starts the jobs, and with the vici backend the event stream that can start rounds early. */
  void start() throws SchedulerException {
    wiring.icmpEngine().ifPresent(engine -> shared.metrics().icmpEngineStarted(engine::stats));
    wiring.failover().announce();
    scheduler.start();
    clock.start();
    wiring.watchEvents(supervisors, tunnel -> supervisor(tunnel).ifPresent(TunnelSupervisor::startRoundSoon));
  }

  private static String probeJob(String tunnel) {
    return "probe-" + tunnel;
  }

  /**
   * Hands each tunnel that stays (same name) its predecessor's state. {@code previous} must be
   * stopped, so that none of its rounds runs any more.
   */
  void continueFrom(Generation previous) {
    // Between dry-run and live, each keeps the repairs its start restored (the history file
    // holds live actions only): a dry run's skipped actions must not count against live ones.
    boolean sameMode = previous.config.dryRun() == config.dryRun();
    for (TunnelSupervisor supervisor : supervisors) {
      previous.supervisor(supervisor.config().name()).ifPresent(p -> supervisor.continueFrom(p, sameMode));
    }
    // The state file may be older than memory (state-dir not writable): keep the later restart.
    wiring.serviceRestarts().recordLater(previous.wiring.serviceRestarts());
    wiring.coordinator().continueFrom(previous.wiring.coordinator());
  }

  /**
   * Stops the jobs and waits for running ones and for every round in flight (with its
   * confirmation rounds and repair), so that the supervisors' state no longer moves.
   */
  void stop() {
    clock.close();
    scheduler.close();
    supervisors.forEach(TunnelSupervisor::stop);
    try {
      for (TunnelSupervisor supervisor : supervisors) {
        supervisor.awaitIdle();
      }
    } catch (InterruptedException e) {
      // Only the agent's own shutdown interrupts; it closes everything next anyway.
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the jobs, waits for the rounds in flight (as {@link #stop()}: a repair under way ends
   * and is recorded, as it did when rounds ran on the scheduler's threads), and releases the
   * probe, judging and repair threads.
   */
  void close() {
    stop();
    wiring.close();
  }

  /**
   * The first step of stopping for good (SIGTERM), which never waits: no round, action or program
   * starts from now on, and the programs running (repairs, SA reads, maintenance) are killed and
   * the daemon's connection cut, so that what is in flight ends within moments. May be called
   * from any thread, also while a reload holds the agent's lock.
   */
  void halt() {
    clock.close();
    scheduler.pause();
    supervisors.forEach(TunnelSupervisor::stop);
    wiring.halt();
  }

  /**
   * Stops for good within about {@code grace} (SIGTERM): {@link #halt()}, then waits that long
   * at most for the rounds in flight to end, and releases everything.
   */
  void shutdown(Duration grace) {
    halt();
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      for (TunnelSupervisor supervisor : supervisors) {
        if (!supervisor.awaitIdle(deadline)) {
          log.warn("tunnel={} a round was still in flight when the agent stopped", supervisor.config().name());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    wiring.close();
    scheduler.close();
  }

  AgentConfig config() {
    return config;
  }

  Wiring wiring() {
    return wiring;
  }

  int tunnelCount() {
    return supervisors.size();
  }

  List<TunnelStatus> statuses() {
    return supervisors.stream().map(TunnelSupervisor::status).toList();
  }

  /** Each failover group's active member, in configuration order. */
  List<FailoverStatus> failoverStatuses() {
    return wiring.failover().statuses();
  }

  /** Each tunnel's state, for the status line: cheaper than {@link #statuses()}. */
  List<TunnelState> states() {
    return supervisors.stream().map(TunnelSupervisor::state).toList();
  }

  private Optional<TunnelSupervisor> supervisor(String name) {
    return supervisors.stream().filter(s -> s.config().name().equals(name)).findFirst();
  }

  /**
   * How long a round of {@code tunnel} may run before the watchdog calls it stuck: its echoes,
   * the SA read and a two-command repair, each bounded by its own timeout, plus one interval;
   * times {@code down-after} for the echoes and SA reads, since a failed round is confirmed by
   * further rounds straight away.
   */
  static Duration stuckAfter(TunnelConfig tunnel, AgentConfig config) {
    TunnelSettings s = tunnel.settings();
    return s.interval()
        .plus(TunnelSettings.roundBudget(s.count(), s.timeout()).multipliedBy(s.downAfter()))
        .plus(config.backend().timeout().multipliedBy(s.downAfter() + 3L));
  }

  /**
   * Schedules the rounds: tunnels with the same interval share clock firings, each starting
   * the rounds of the tunnels in its slot of the interval, and the slots spread the first rounds
   * over one interval so that a gateway with many tunnels does not probe them all in the same
   * instant. Up to one slot per {@link #SLOT} of the interval and per {@link #FEWEST_PER_SLOT}
   * tunnels; a single tunnel gets a job of its own name. A thousand tunnels at 1 s make 10
   * firings a second instead of a thousand, ten tunnels at 2 s one firing every 2 s. A firing
   * only starts rounds; a tunnel whose previous round is still in flight is skipped and counted.
   */
  private static void scheduleRounds(RoundClock clock, List<TunnelSupervisor> supervisors, Wiring wiring, Shared shared) {
    Map<Duration, List<TunnelSupervisor>> byInterval = new LinkedHashMap<>();
    for (TunnelSupervisor supervisor : supervisors) {
      byInterval.computeIfAbsent(supervisor.config().settings().interval(), i -> new ArrayList<>()).add(supervisor);
    }
    for (var entry : byInterval.entrySet()) {
      Duration interval = entry.getKey();
      List<TunnelSupervisor> group = entry.getValue();
      int bySpacing = (int) Math.max(1, interval.toMillis() / SLOT.toMillis());
      int slots = Math.min(bySpacing, Math.max(1, group.size() / FEWEST_PER_SLOT));
      for (int slot = 0; slot < slots; slot++) {
        List<TunnelSupervisor> inSlot = new ArrayList<>();
        for (int i = slot; i < group.size(); i += slots) {
          inSlot.add(group.get(i));
        }
        String name = slots == group.size() ? probeJob(inSlot.get(0).config().name()) : "probe-every-" + interval.toMillis() + "ms-" + slot;
        Duration delay = interval.multipliedBy(slot).dividedBy(slots);
        List<TunnelSupervisor> fired = List.copyOf(inSlot);
        Runnable startSlot = () -> {
          for (TunnelSupervisor supervisor : fired) {
            startRound(supervisor, shared);
          }
        };
        clock.every(name, interval, delay, () -> wiring.startTogether(startSlot));
      }
    }
  }

  private static void startRound(TunnelSupervisor supervisor, Shared shared) {
    try {
      if (!supervisor.startRound()) {
        shared.metrics().roundSkipped(supervisor.config().name());
      }
    } catch (RuntimeException e) {
      // The supervisor ends a failing round itself; this is a bug before it, and must not keep
      // the slot's other tunnels from their rounds.
      log.error("tunnel={} the round did not start", supervisor.config().name(), e);
    }
  }

  /**
   * Follows each tunnel's rounds for the watchdog's progress record, the round-lag and
   * round-error metrics and the agent's after-round hook. Thread-safe: called from the
   * scheduler, judging and repair threads.
   */
  private static final class RoundReporter implements RoundListener {

    /** A tunnel's interval, and how long its round may stay in flight before it counts as stuck. */
    private record Timing(Duration interval, Duration limit) {}

    /**
     * The after-round hook (the systemd status line) looks at every tunnel: after each of a
     * thousand tunnels' rounds it would cost a thousand reads per round. Where rounds end more
     * often than every {@link #BUSY} on average, the hook runs at most once per this period: the
     * next round's end comes soon and brings the line up to date, so it is as fresh. Elsewhere it
     * runs after every round.
     */
    private static final long AFTER_ROUND_PERIOD_NANOS = Duration.ofSeconds(1).toNanos();

    private static final Duration BUSY = Duration.ofMillis(20);

    private final RoundProgress progress;
    private final AtomicLong lastAfterRound = new AtomicLong(Long.MIN_VALUE);
    private final Map<String, Timing> timings = new HashMap<>();
    private final Shared shared;
    /** Rounds end more often than every {@link #BUSY} on average. */
    private final boolean busy;

    RoundReporter(RoundProgress progress, AgentConfig config, Shared shared) {
      this.progress = progress;
      this.shared = shared;
      Duration shortest =
          config.tunnels().stream().map(t -> t.settings().interval()).min(Duration::compareTo).orElse(Duration.ZERO);
      this.busy = config.tunnels().size() > 1 && shortest.dividedBy(config.tunnels().size()).compareTo(BUSY) < 0;
      for (TunnelConfig tunnel : config.tunnels()) {
        timings.put(tunnel.name(), new Timing(tunnel.settings().interval(), stuckAfter(tunnel, config)));
      }
    }

    /** Looks up the tunnel's timing, progress tracker and metrics once, for all its rounds. */
    @Override
    public RoundListener forTunnel(String tunnel) {
      Timing timing = timings.get(tunnel);
      return new TunnelRounds(
          progress.tracker(tunnel, timing.limit(), timing.interval()), shared.metrics().roundStarts(tunnel, timing.interval()));
    }

    @Override
    public void roundFailed(String tunnel, RuntimeException failure) {
      shared.metrics().roundError(tunnel);
      log.error("tunnel={} probe round failed inside the agent", tunnel, failure);
    }

    private void afterRound(String tunnel) {
      long now = shared.time().monotonicNanos();
      long last = lastAfterRound.get();
      if (busy && last != Long.MIN_VALUE && now - last < AFTER_ROUND_PERIOD_NANOS) {
        return; // another tunnel's round runs it again soon
      }
      if (!lastAfterRound.compareAndSet(last, now)) {
        return; // another thread runs it now
      }
      try {
        shared.afterRound().run();
      } catch (RuntimeException e) {
        log.error("tunnel={} the after-round hook failed", tunnel, e);
      }
    }

    /** One tunnel's share of the reporter, with its lookups done. */
    private final class TunnelRounds implements RoundListener {

      private final RoundProgress.Tracker tracker;
      private final AgentMetrics.RoundStarts starts;

      TunnelRounds(RoundProgress.Tracker tracker, AgentMetrics.RoundStarts starts) {
        this.tracker = tracker;
        this.starts = starts;
      }

      @Override
      public void roundStarted(String tunnel) {
        tracker.started(shared.time().monotonicNanos());
        starts.started();
      }

      @Override
      public void roundFailed(String tunnel, RuntimeException failure) {
        RoundReporter.this.roundFailed(tunnel, failure);
      }

      @Override
      public void roundEnded(String tunnel) {
        tracker.finished();
        afterRound(tunnel);
      }
    }
  }

  /** The supervisors' hourly limits, which scheduled actions share with the ladders. */
  private static MaintenanceTask.HourlyLimits limitsOf(List<TunnelSupervisor> supervisors) {
    Map<String, TunnelSupervisor> byName = new HashMap<>();
    supervisors.forEach(s -> byName.put(s.config().name(), s));
    return new MaintenanceTask.HourlyLimits() {
      @Override
      public Optional<String> refused(String tunnel) {
        return byName.get(tunnel).scheduledActionRefused();
      }

      @Override
      public void taken(String tunnel) {
        byName.get(tunnel).scheduledActionTaken();
      }
    };
  }

  private static void scheduleMaintenance(
      AgentScheduler scheduler, AgentConfig config, Wiring wiring, Shared shared, MaintenanceTask.HourlyLimits limits)
      throws SchedulerException {
    List<MaintenanceConfig> jobs = config.maintenance();
    for (int i = 0; i < jobs.size(); i++) {
      MaintenanceConfig job = jobs.get(i);
      List<TunnelConfig> tunnels = new ArrayList<>();
      for (TunnelConfig t : config.tunnels()) {
        if (job.tunnel().isEmpty() || job.tunnel().get().equals(t.name())) {
          tunnels.add(t);
        }
      }
      MaintenanceTask task = new MaintenanceTask(
              job, tunnels, wiring.actions(), wiring.serviceRestarts(), limits, shared.metrics()::maintenance, shared.time());
      scheduler.cron("maintenance-" + i + "-" + job.action().configName(), job.schedule(), task);
    }
  }
}
