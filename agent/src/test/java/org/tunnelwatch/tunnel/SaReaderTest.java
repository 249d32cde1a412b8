package org.tunnelwatch.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.ipsec.BackendException;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.QuietBackend;
import org.tunnelwatch.time.ManualTime;

/**
 * The reader's backoff and the daemon's reachability, with a daemon that is scripted to answer or
 * not (the real daemon going away is tested in the lab: BackendFaultsIT).
 */
class SaReaderTest {

  /** A daemon that answers while {@code answering}, and counts the calls. */
  private static final class ScriptedDaemon extends QuietBackend {
    boolean answering = true;
    int calls;

    @Override
    public List<IkeSa> listSas() throws BackendException {
      calls++;
      if (!answering) {
        throw new BackendException("connecting to unix:///run/charon.vici: No such file or directory");
      }
      return List.of();
    }

    @Override public String name() { return "scripted"; }
  }

  private final ManualTime time = new ManualTime();
  private final ScriptedDaemon daemon = new ScriptedDaemon();
  private final List<Boolean> changes = new ArrayList<>();
  private final SaReader reader =
      new SaReader(daemon, time, Duration.ofMillis(500), new BackendHealth("scripted", new TunnelEvents() {
        @Override
        public void backendChanged(boolean up) {
          changes.add(up);
        }
      }));

  /** Reads once per 100 ms for {@code span}, as many tunnels' rounds would. */
  private void readFor(Duration span) {
    for (long t = 0; t < span.toMillis(); t += 100) {
      try {
        reader.read();
      } catch (BackendException e) {
        // expected while the daemon is away
      }
      time.advance(Duration.ofMillis(100));
    }
  }

  @Test
  void aDeadDaemonIsAskedWithBackoffNotEveryRound() {
    daemon.answering = false;
    readFor(Duration.ofSeconds(120));
    // Asked at 0, 1, 3, 7, 15, 31, 61, 91 s: 1 s doubling up to 30 s.
    assertThat(daemon.calls).isEqualTo(8);
    assertThat(reader.backendReachable()).isFalse();
  }

  @Test
  void everyChangeIsReportedOnceNotEveryRound() {
    readFor(Duration.ofSeconds(5));
    daemon.answering = false;
    readFor(Duration.ofSeconds(60));
    daemon.answering = true;
    readFor(Duration.ofSeconds(60));
    assertThat(changes).containsExactly(true, false, true);
    assertThat(reader.backendReachable()).isTrue();
  }

  @Test
  void oneFailedReadIsNotEnoughToCallTheDaemonUnreachableForTheLadder() throws Exception {
    daemon.answering = false;
    assertThatThrownBy(reader::read).hasMessageContaining("No such file");
    // Reported down at once (the gauge), but the ladder keeps its rungs until a retry fails too.
    assertThat(changes).containsExactly(false);
    assertThat(reader.backendReachable()).isTrue();
    time.advance(Duration.ofSeconds(1));
    assertThatThrownBy(reader::read).hasMessageContaining("No such file");
    assertThat(reader.backendReachable()).isFalse();
    daemon.answering = true;
    reader.invalidate();
    reader.read();
    assertThat(reader.backendReachable()).isTrue();
  }

  @Test
  void roundsDuringTheBackoffGetTheLastFailure() {
    daemon.answering = false;
    assertThatThrownBy(reader::read).hasMessageContaining("No such file");
    time.advance(Duration.ofMillis(600));
    assertThatThrownBy(reader::read).hasMessageContaining("No such file");
    assertThat(daemon.calls).isEqualTo(1);
  }

  @Test
  void afterAnActionTheDaemonIsAskedAtOnceAndTheBackoffStartsAgainWhenItAnswers() throws Exception {
    daemon.answering = false;
    readFor(Duration.ofSeconds(60));
    int before = daemon.calls;
    daemon.answering = true;
    reader.invalidate(); // a service restart brought it back
    reader.read();
    assertThat(daemon.calls).isEqualTo(before + 1);
    assertThat(reader.backendReachable()).isTrue();
    daemon.answering = false;
    time.advance(Duration.ofSeconds(1));
    readFor(Duration.ofMillis(1500));
    assertThat(daemon.calls).isEqualTo(before + 3); // failed at once, then again 1 s later
  }

  @Test
  void roundsWithEveryEchoAnsweredTakeAnOlderAnswerThanRoundsThatLostOne() throws Exception {
    List<IkeSa> first = reader.readNamed("sg1", true);
    time.advance(Duration.ofSeconds(5));
    assertThat(reader.readNamed("sg1", true)).as("a healthy round, 5 s later: the same answer").isSameAs(first);
    assertThat(daemon.calls).isEqualTo(1);
    reader.readNamed("sg1", false);
    assertThat(daemon.calls).as("a round that lost an echo asks again").isEqualTo(2);
    time.advance(SaReader.ROUTINE_MAX_AGE);
    reader.readNamed("sg1", true);
    assertThat(daemon.calls).as("a healthy round once the routine age has passed").isEqualTo(3);
  }

  @Test
  void unknownBeforeTheFirstReadCountsAsReachable() {
    assertThat(reader.backendReachable()).isTrue();
    assertThat(changes).isEmpty();
  }

  /**
   * A real VICI socket that accepts and never answers, read through the real vici backend with
   * the shipped 30 s timeout: rounds get "not answered" long before that, from the first read on,
   * and never wait again while the read hangs.
   */
  @Test
  void aDaemonThatAcceptsAndNeverAnswersHoldsUpNoRound(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path socket = dir.resolve("charon.vici");
    java.util.concurrent.ExecutorService reads = java.util.concurrent.Executors.newSingleThreadExecutor();
    try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      server.bind(java.net.UnixDomainSocketAddress.of(socket));
      java.util.concurrent.CompletableFuture<java.nio.channels.SocketChannel> silent = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return server.accept();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      org.tunnelwatch.config.BackendConfig config = new org.tunnelwatch.config.BackendConfig(
          org.tunnelwatch.config.BackendType.VICI, java.nio.file.Path.of("/usr/sbin/swanctl"), "unix://" + socket, "true", Duration.ofSeconds(30));
      org.tunnelwatch.ipsec.vici.ViciBackend vici = new org.tunnelwatch.ipsec.vici.ViciBackend(config, (argv, timeout) -> null);
      SaReader hung = new SaReader(vici, org.tunnelwatch.time.TimeSource.system(), Duration.ofMillis(500),
          new BackendHealth("vici", new TunnelEvents() {}), reads);
      java.util.concurrent.CompletableFuture<Integer> rounds = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        int failed = 0;
        for (int i = 0; i < 20; i++) {
          try {
            hung.readNamed("sg1", false);
          } catch (BackendException e) {
            assertThat(e.getMessage()).isEqualTo("vici (unix://" + socket + ") has not answered within 500ms; the round goes on without the SAs");
            failed++;
          }
        }
        return failed;
      });
      // Twenty rounds end while the one read still waits on the silent socket (its timeout is 30 s).
      assertThat(rounds.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(20);
      assertThat(silent.isDone()).isTrue();
      vici.close();
      silent.get().close();
    } finally {
      reads.shutdownNow();
    }
  }
}
