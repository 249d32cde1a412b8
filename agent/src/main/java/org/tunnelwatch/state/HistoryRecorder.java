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
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.config.Durations;
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
 * history. A change (an action, a service restart) is saved on one writer thread, which saves
 * the latest state and folds changes that arrive meanwhile into its next save: rounds never wait
 * for the disk. Only {@link #actionStarting} waits, up to {@link #DURABLE_WAIT}, for a save that
 * holds its action, so that a crash during the action still counts it; it runs on the action's
 * thread, not on a judging one. Times are stored as wall-clock times and mapped back to the
 * monotonic clock at load ({@link ClockMapping}). When the directory cannot be written the
 * history lives on in memory, saving is tried again after the next change or after {@link
 * #RETRY} at the latest, and the agent keeps working.
 */
public final class HistoryRecorder implements TunnelEvents {

  /** The hourly limit looks back this far; older action times are not kept. */
  private static final Duration LIMIT_WINDOW = Duration.ofHours(1);

  /** A directory that could not be written is tried again this often (for the metric and log). */
  static final Duration RETRY = Duration.ofSeconds(30);

  /** How long an action waits for the save that holds it before it runs anyway. */
  static final Duration DURABLE_WAIT = Duration.ofSeconds(5);

  /** Where the history is kept: {@link HistoryFile}, or in tests a store that is slow on purpose. */
  interface Store {
    RemedyHistory load();

    /** Saves the history; false if it could not be saved. */
    boolean save(RemedyHistory history);
  }

  private static final Logger log = LoggerFactory.getLogger(HistoryRecorder.class);

  /** One tunnel's history in monotonic time. */
  private record Entry(List<Long> actions, OptionalLong lastAttempt) {
    static final Entry NONE = new Entry(List.of(), OptionalLong.empty());
  }

  private final Store store;
  private final ServiceRestarts serviceRestarts;
  private final TimeSource time;
  private final Executor writer;
  /** Guards the fields below; held only for work in memory, never while the disk is used. */
  private final Object lock = new Object();
  private final Map<String, Entry> tunnels = new HashMap<>();
  private OptionalLong savedServiceRestart = OptionalLong.empty();
  private boolean lastSaveFailed;
  private long lastSaveNanos;
  /** Changes asked to be saved and changes saved, counted: a save holds every change before it. */
  private long requested;
  private long saved;
  private boolean writing;

  /**
   * @param stateDir the directory ({@code state-dir})
   * @param serviceRestarts the gateway's service restarts, restored and saved with the rest
   * @param time the clocks
   * @param events told when saving starts or stops working
   */
  public HistoryRecorder(Path stateDir, ServiceRestarts serviceRestarts, TimeSource time, TunnelEvents events) {
    this(new HistoryFile(stateDir, events::stateWritableChanged), serviceRestarts, time);
  }

  HistoryRecorder(Store store, ServiceRestarts serviceRestarts, TimeSource time) {
    this.store = store;
    this.serviceRestarts = serviceRestarts;
    this.time = time;
    this.writer = writerThread();
  }

  /** One daemon thread that ends when idle: a reload makes a new recorder and lets this one go. */
  private static Executor writerThread() {
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "history-writer");
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true);
    return executor;
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
  Map<String, Restored> load(List<String> names) {
    RemedyHistory stored = store.load();
    synchronized (lock) {
      return restore(stored, names);
    }
  }

  private Map<String, Restored> restore(RemedyHistory stored, List<String> names) {
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

  /**
   * Saves the action before it runs: a crash during a service restart must still count it. Waits
   * for the save, on the action's thread, up to {@link #DURABLE_WAIT}.
   */
  @Override
  public void actionStarting(String tunnel, RemedyState planned) {
    long change;
    synchronized (lock) {
      change = record(tunnel, planned);
      if (change == 0 && saved < requested) {
        change = requested; // the round that planned it was recorded first: its save must be on disk too
      }
    }
    if (change > 0 && !awaitSaved(change)) {
      log.warn(
          "the remediation history was not saved within {} (a slow or hung state-dir); the {} action runs anyway",
          Durations.format(DURABLE_WAIT), tunnel);
    }
  }

  @Override
  public void roundCompleted(TunnelRound round, HealthState health, RemedyState remedy) {
    synchronized (lock) {
      record(round.tunnel(), remedy);
    }
  }

  /** Takes the tunnel's history in; returns the change to be saved, or 0 if there is none. */
  private long record(String tunnel, RemedyState remedy) {
    Entry before = tunnels.getOrDefault(tunnel, Entry.NONE);
    OptionalLong restart = serviceRestarts.last();
    if (before.actions() == remedy.actionTimesNanos() && before.lastAttempt().equals(remedy.lastAttemptNanos())
        && restart.equals(savedServiceRestart) && !lastSaveFailed) {
      return 0; // the round changed nothing here: the usual case, a thousand times a second
    }
    Entry now = new Entry(remedy.actionTimesNanos(), remedy.lastAttemptNanos());
    tunnels.put(tunnel, now);
    boolean changed = !before.lastAttempt().equals(now.lastAttempt()) || !restart.equals(savedServiceRestart);
    long nowMono = time.monotonicNanos();
    boolean retryDue = lastSaveFailed && nowMono - lastSaveNanos >= RETRY.toNanos();
    if (!changed && !retryDue) {
      return 0;
    }
    savedServiceRestart = restart;
    lastSaveNanos = nowMono;
    requested++;
    if (!writing) {
      writing = true;
      writer.execute(this::writeWhilePending);
    }
    return requested;
  }

  /** On the writer thread: saves the latest history until no change is left unsaved. */
  private void writeWhilePending() {
    while (true) {
      RemedyHistory history;
      long change;
      synchronized (lock) {
        if (saved >= requested) {
          writing = false;
          return;
        }
        change = requested;
        history = snapshot(time.monotonicNanos(), time.now());
      }
      boolean ok;
      try {
        ok = store.save(history);
      } catch (RuntimeException e) {
        log.warn("saving the remediation history failed: {}", e.toString());
        ok = false;
      }
      synchronized (lock) {
        saved = change;
        lastSaveFailed = !ok;
        lock.notifyAll();
      }
    }
  }

  /** Waits until {@code change} is saved (or saving it failed); false if that took too long. */
  private boolean awaitSaved(long change) {
    long deadline = System.nanoTime() + DURABLE_WAIT.toNanos();
    synchronized (lock) {
      while (saved < change) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
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
