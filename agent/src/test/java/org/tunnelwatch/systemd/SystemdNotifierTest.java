package org.tunnelwatch.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notify protocol against a real Unix datagram socket that the test binds itself. */
class SystemdNotifierTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final long PID = ProcessHandle.current().pid();

  @TempDir Path dir;

  @Nested
  class Delivery {

    @Test
    void readyAndStatusReachASocketBoundToAPath() throws Exception {
      try (NotifyReceiver manager = NotifyReceiver.bind(dir.resolve("notify").toString());
          SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", manager.notifySocket), PID)) {
        notifier.ready("2/3 tunnels up");

        assertThat(manager.receive(WAIT)).contains("READY=1\nSTATUS=2/3 tunnels up");
      }
    }

    @Test
    void messagesReachAnAbstractName() throws Exception {
      String name = "@tunnelwatch-test-" + UUID.randomUUID();
      try (NotifyReceiver manager = NotifyReceiver.bind(name);
          SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", name), PID)) {
        notifier.watchdog();
        notifier.reloading();
        notifier.stopping();

        assertThat(manager.receive(WAIT)).contains("WATCHDOG=1");
        assertThat(manager.receive(WAIT)).hasValueSatisfying(m -> assertThat(m).startsWith("RELOADING=1\n"));
        assertThat(manager.receive(WAIT)).hasValueSatisfying(m -> assertThat(m).startsWith("STOPPING=1\n"));
      }
    }

    @Test
    void aStatusIsSentOnlyWhenItChanges() throws Exception {
      try (NotifyReceiver manager = NotifyReceiver.bind(dir.resolve("notify").toString());
          SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", manager.notifySocket), PID)) {
        notifier.status("1/1 tunnels up");
        notifier.status("1/1 tunnels up");
        notifier.status("0/1 tunnels up");

        assertThat(manager.receive(WAIT)).contains("STATUS=1/1 tunnels up");
        assertThat(manager.receive(WAIT)).contains("STATUS=0/1 tunnels up");
        assertThat(manager.receive(Duration.ofMillis(200))).isEmpty();
      }
    }

    @Test
    void aStatusStaysOnOneLine() throws Exception {
      try (NotifyReceiver manager = NotifyReceiver.bind(dir.resolve("notify").toString());
          SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", manager.notifySocket), PID)) {
        notifier.status("first\nWATCHDOG=1");

        assertThat(manager.receive(WAIT)).contains("STATUS=first WATCHDOG=1");
      }
    }

    @Test
    void aManagerThatWentAwayIsNoReasonToFail() throws Exception {
      NotifyReceiver manager = NotifyReceiver.bind(dir.resolve("notify").toString());
      manager.close();
      try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", manager.notifySocket), PID)) {
        notifier.ready("1/1 tunnels up");
        notifier.watchdog();
      }
    }
  }

  @Nested
  class Environment {

    @Test
    void withoutNotifySocketNothingIsSentAndThereIsNoWatchdog() {
      try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("WATCHDOG_USEC", "1000000"), PID)) {
        notifier.ready("x");
        assertThat(notifier.watchdogInterval()).isEmpty();
      }
    }

    @Test
    void theWatchdogIsFedAtHalfItsTimeout() {
      try (SystemdNotifier notifier =
          SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "30000000"), PID)) {
        assertThat(notifier.watchdogInterval()).contains(Duration.ofSeconds(15));
      }
    }

    @Test
    void aWatchdogMeantForAnotherProcessIsIgnored() {
      Map<String, String> env = Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "30000000", "WATCHDOG_PID", Long.toString(PID + 1));
      try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(env, PID)) {
        assertThat(notifier.watchdogInterval()).isEmpty();
      }
    }

    @Test
    void aWatchdogForThisProcessIsUsed() {
      Map<String, String> env = Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "4000000", "WATCHDOG_PID", Long.toString(PID));
      try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(env, PID)) {
        assertThat(notifier.watchdogInterval()).contains(Duration.ofSeconds(2));
      }
    }

    @Test
    void aRelativeSocketPathDisablesNotificationInsteadOfFailing() {
      try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "run/notify"), PID)) {
        notifier.ready("x"); // nowhere to send it: no exception
        assertThat(notifier.watchdogInterval()).isEmpty();
      }
    }
  }

  @Nested
  class Addresses {

    @Test
    void aPathEndsWithNul() {
      byte[] bytes = SocketAddress.parse("/run/n").bytes();
      assertThat(bytes).hasSize(2 + 6 + 1);
      assertThat(bytes[2]).isEqualTo((byte) '/');
      assertThat(bytes[bytes.length - 1]).isZero();
    }

    @Test
    void anAbstractNameStartsWithNulAndCountsOnlyItsBytes() {
      byte[] bytes = SocketAddress.parse("@abc").bytes();
      assertThat(bytes).hasSize(2 + 1 + 3);
      assertThat(bytes[2]).isZero();
      assertThat(bytes[5]).isEqualTo((byte) 'c');
    }

    @Test
    void aTooLongPathIsRefusedWithAReason() {
      assertThatThrownBy(() -> SocketAddress.parse("/" + "a".repeat(SocketAddress.MAX_PATH)))
          .hasMessage("NOTIFY_SOCKET is longer than 107 bytes");
    }

    @Test
    void anEmptyValueIsRefusedWithAReason() {
      assertThatThrownBy(() -> SocketAddress.parse("")).hasMessage("NOTIFY_SOCKET is empty");
    }
  }
}
