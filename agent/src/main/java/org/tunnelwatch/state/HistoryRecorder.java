package org.tunnelwatch.state;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.tunnelwatch.health.HealthState;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.time.TimeSource;
import org.tunnelwatch.tunnel.ServiceRestarts;
import org.tunnelwatch.tunnel.TunnelEvents;
import org.tunnelwatch.tunnel.TunnelRound;
import org.tunnelwatch.tunnel.TunnelSupervisor;

/**
 * Keeps the remediation history in the state directory, so that a crash-looping agent or a
 * reboot cannot turn into a restart storm: the action times the hourly limit counts, the last
 * attempt the settle time runs from (per tunnel) and the gateway's last service restart survive
 * the process.
 *
 * <p>{@link #restore} loads the file at start and at every reload and hands each tunnel its
 * history; after each round that took or skipped an action (or after a service restart) the whole
 * history is saved again, atomically (see {@link HistoryFile}). Times are stored as wall-clock
 * times and mapped back to the monotonic clock at load ({@link ClockMapping}): a time in the
 * future, after the clock was stepped back, counts as now. When the directory cannot be written
 * the history lives on in memory (here and in the supervisors), saving is tried again after the
 * next action or after {@link #RETRY} at the latest, and the agent keeps working.
 *
 * <p>Thread-safe: rounds of different tunnels report from their own threads.
 */
public final class HistoryRecorder implements TunnelEvents {

  /** The hourly limit looks back this far; older action times are not kept. */
  private static final Duration LIMIT_WINDOW = Duration.ofHours(1);

  /** A directory that could not be written is tried again this often (for the metric and log). */
  static final Duration RETRY = Duration.ofSeconds(30);

  /** One tunnel's history in monotonic time. */
  private record Entry(List<Long> actions, OptionalLong lastAttempt) {
    static final Entry NONE = new Entry(List.of(), OptionalLong.empty());
  }

  private final HistoryFile file;
  private final ServiceRestarts serviceRestarts;
  private final TimeSource time;
  private final Map<String, Entry> tunnels = new HashMap<>();
  private OptionalLong savedServiceRestart = OptionalLong.empty();
  private boolean lastSaveFailed;
  private long lastSaveNanos;

  /**
   * @param stateDir the directory ({@code state-dir})
   * @param serviceRestarts the gateway's service restarts, restored and saved with the rest
   * @param time the clocks
   * @param events told when saving starts or stops working
   */
  public HistoryRecorder(Path stateDir, ServiceRestarts serviceRestarts, TimeSource time, TunnelEvents events) {
    this.file = new HistoryFile(stateDir, events::stateWritableChanged);
    this.serviceRestarts = serviceRestarts;
    this.time = time;
  }

  /** Loads the stored history and hands each supervisor its tunnel's; call before the first round. */
  public void restore(List<TunnelSupervisor> supervisors) {
    Map<String, Restored> loaded = load(supervisors.stream().map(s -> s.config().name()).toList());
    for (TunnelSupervisor supervisor : supervisors) {
      Restored r = loaded.get(supervisor.config().name());
      if (r != null) {
        supervisor.restoreHistory(r.actionTimesNanos(), r.lastAttemptNanos());
      }
    }
  }

  /** A tunnel's stored history in this process's monotonic time. */
  record Restored(List<Long> actionTimesNanos, OptionalLong lastAttemptNanos) {}

  /**
   * Loads the stored history of the tunnels {@code names} (those with one), and the service
   * restart into {@link ServiceRestarts}.
   */
  synchronized Map<String, Restored> load(List<String> names) {
    RemedyHistory stored = file.load();
    long nowMono = time.monotonicNanos();
    Instant nowWall = time.now();
    Map<String, Restored> restored = new HashMap<>();
    long cutoff = nowMono - LIMIT_WINDOW.toNanos();
    for (String name : names) {
      RemedyHistory.Tunnel saved = stored.tunnels().get(name);
      if (saved == null) {
        tunnels.put(name, Entry.NONE);
        continue;
      }
      List<Long> actions = new ArrayList<>();
      for (Instant t : saved.actions()) {
        long mono = ClockMapping.toMonotonic(t, nowMono, nowWall);
        if (mono > cutoff) {
          actions.add(mono);
        }
      }
      OptionalLong lastAttempt =
          saved.lastAttempt().map(t -> OptionalLong.of(ClockMapping.toMonotonic(t, nowMono, nowWall))).orElse(OptionalLong.empty());
      Entry entry = new Entry(List.copyOf(actions), lastAttempt);
      tunnels.put(name, entry);
      restored.put(name, new Restored(entry.actions(), entry.lastAttempt()));
    }
    stored.lastServiceRestart().ifPresent(t -> serviceRestarts.recordAt(ClockMapping.toMonotonic(t, nowMono, nowWall)));
    savedServiceRestart = serviceRestarts.last();
    return restored;
  }

  /** Saves the action before it runs: a crash during a service restart must still count it. */
  @Override
  public synchronized void actionStarting(String tunnel, RemedyState planned) {
    record(tunnel, planned);
  }

  @Override
  public synchronized void roundCompleted(TunnelRound round, HealthState health, RemedyState remedy) {
    record(round.tunnel(), remedy);
  }

  private void record(String tunnel, RemedyState remedy) {
    Entry before = tunnels.getOrDefault(tunnel, Entry.NONE);
    OptionalLong restart = serviceRestarts.last();
    if (before.actions() == remedy.actionTimesNanos() && before.lastAttempt().equals(remedy.lastAttemptNanos())
        && restart.equals(savedServiceRestart) && !lastSaveFailed) {
      return; // the round changed nothing here: the usual case, a thousand times a second
    }
    Entry now = new Entry(remedy.actionTimesNanos(), remedy.lastAttemptNanos());
    tunnels.put(tunnel, now);
    boolean changed = !before.lastAttempt().equals(now.lastAttempt()) || !restart.equals(savedServiceRestart);
    long nowMono = time.monotonicNanos();
    boolean retryDue = lastSaveFailed && nowMono - lastSaveNanos >= RETRY.toNanos();
    if (changed || retryDue) {
      savedServiceRestart = restart;
      lastSaveNanos = nowMono;
      lastSaveFailed = !file.save(snapshot(nowMono, time.now()));
    }
  }

  private RemedyHistory snapshot(long nowMono, Instant nowWall) {
    Map<String, RemedyHistory.Tunnel> out = new HashMap<>();
    long cutoff = nowMono - LIMIT_WINDOW.toNanos();
    tunnels.forEach((name, entry) -> {
      List<Instant> actions =
          entry.actions().stream().filter(t -> t > cutoff).map(t -> ClockMapping.toWall(t, nowMono, nowWall)).toList();
      Optional<Instant> last =
          entry.lastAttempt().isPresent()
              ? Optional.of(ClockMapping.toWall(entry.lastAttempt().getAsLong(), nowMono, nowWall))
              : Optional.empty();
      out.put(name, new RemedyHistory.Tunnel(actions, last));
    });
    Optional<Instant> restart =
        savedServiceRestart.isPresent()
            ? Optional.of(ClockMapping.toWall(savedServiceRestart.getAsLong(), nowMono, nowWall))
            : Optional.empty();
    return new RemedyHistory(out, restart);
  }
}
