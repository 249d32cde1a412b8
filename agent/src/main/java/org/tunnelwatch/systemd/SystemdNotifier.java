package org.tunnelwatch.systemd;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the service manager how the agent is doing, as {@code sd_notify(3)} does: {@code
 * READY=1} once the probes are scheduled, a one-line {@code STATUS=}, {@code WATCHDOG=1}
 * keep-alives, {@code RELOADING=1} and {@code STOPPING=1}. Without {@code $NOTIFY_SOCKET} (not
 * started by systemd, or {@code Type=} other than notify) every method does nothing.
 *
 * <p>A failed send is logged once and otherwise ignored: the agent's job is watching tunnels,
 * and systemd will notice a missing READY or watchdog on its own.
 *
 * <p>Thread-safe.
 */
public final class SystemdNotifier implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);
  private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n]+");

  private final Optional<NotifySocket> socket;
  private final Optional<Duration> watchdogTimeout;
  private final AtomicReference<String> lastStatus = new AtomicReference<>();
  private final AtomicBoolean sendFailureLogged = new AtomicBoolean();

  private SystemdNotifier(Optional<NotifySocket> socket, Optional<Duration> watchdogTimeout) {
    this.socket = socket;
    this.watchdogTimeout = watchdogTimeout;
  }

  /** A notifier that never sends: for commands and tests that run outside systemd. */
  public static SystemdNotifier disabled() {
    return new SystemdNotifier(Optional.empty(), Optional.empty());
  }

  /**
   * Reads {@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC} and {@code WATCHDOG_PID} from {@code env},
   * as {@code sd_notify(3)} and {@code sd_watchdog_enabled(3)} do. A watchdog meant for another
   * process ({@code WATCHDOG_PID} not {@code pid}) is ignored.
   */
  public static SystemdNotifier fromEnvironment(Map<String, String> env, long pid) {
    String address = env.get("NOTIFY_SOCKET");
    if (address == null) {
      return disabled();
    }
    NotifySocket socket;
    try {
      socket = NotifySocket.open(address);
    } catch (IOException | LinkageError e) {
      log.warn("systemd notification disabled: {}", e.getMessage());
      return disabled();
    }
    return new SystemdNotifier(Optional.of(socket), watchdogTimeout(env, pid));
  }

  private static Optional<Duration> watchdogTimeout(Map<String, String> env, long pid) {
    String usec = env.get("WATCHDOG_USEC");
    String forPid = env.get("WATCHDOG_PID");
    if (usec == null || (forPid != null && !forPid.equals(Long.toString(pid)))) {
      return Optional.empty();
    }
    try {
      long micros = Long.parseLong(usec);
      return micros > 0 ? Optional.of(Duration.ofNanos(micros * 1000)) : Optional.empty();
    } catch (NumberFormatException e) {
      log.warn("systemd watchdog disabled: WATCHDOG_USEC \"{}\" is not a number", usec);
      return Optional.empty();
    }
  }

  /**
   * How often to send {@code WATCHDOG=1}: half the manager's timeout, as {@code
   * sd_watchdog_enabled(3)} advises. Empty when the unit has no {@code WatchdogSec=}.
   */
  public Optional<Duration> watchdogInterval() {
    return watchdogTimeout.map(t -> t.dividedBy(2));
  }

  /** The agent is serving: after start, and again after each reload. */
  public void ready(String status) {
    lastStatus.set(oneLine(status));
    send("READY=1\nSTATUS=" + oneLine(status));
  }

  /** A new one-line status; sent only when it differs from the last one. */
  public void status(String status) {
    String line = oneLine(status);
    if (!line.equals(lastStatus.getAndSet(line))) {
      send("STATUS=" + line);
    }
  }

  public void reloading() {
    send("RELOADING=1\nSTATUS=reloading the configuration");
  }

  public void watchdog() {
    send("WATCHDOG=1");
  }

  public void stopping() {
    send("STOPPING=1\nSTATUS=stopping");
  }

  private void send(String message) {
    if (socket.isEmpty()) {
      return;
    }
    try {
      socket.get().send(message);
    } catch (IOException e) {
      if (sendFailureLogged.compareAndSet(false, true)) {
        log.warn("systemd notification failed (logged once): {}", e.getMessage());
      }
    }
  }

  /**
   * Line breaks to one space each run. A status comes after rounds and almost never holds a
   * break, so the pattern is compiled once and used only when there is one.
   */
  private static String oneLine(String text) {
    if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
      return text;
    }
    return LINE_BREAKS.matcher(text).replaceAll(" ");
  }

  @Override
  public void close() {
    socket.ifPresent(NotifySocket::close);
  }
}
