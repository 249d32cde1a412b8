package org.tunnelwatch.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.config.TunnelSettings;
import org.tunnelwatch.ipsec.QuietBackend;
import org.tunnelwatch.probe.AsyncEchoProber;
import org.tunnelwatch.probe.EchoCallback;
import org.tunnelwatch.probe.EchoRequest;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.LinkStateReader;
import org.tunnelwatch.probe.ProbeTarget;
import org.tunnelwatch.remedy.ActionRunner;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RepairTarget;
import org.tunnelwatch.remedy.RemedyOutcome;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.time.ManualTime;

/**
 * How asynchronous rounds follow each other: one in flight per tunnel, confirmation rounds,
 * reload waiting for rounds in flight, and repairs that do not hold other tunnels. The prober
 * keeps every echo until the test answers it, and the repair can be held: these are the faults
 * (echoes in flight at a chosen moment, a repair that blocks) that a real engine and daemon do
 * not produce on demand. Real threads run the judging and repair steps.
 */
class RoundSequencingTest {

  @TempDir Path sys;

  private final ManualTime time = new ManualTime();
  private final HeldProber prober = new HeldProber();
  private final HeldActions actions = new HeldActions();
  private final RecordingListener listener = new RecordingListener();
  private final ExecutorService judging = Executors.newSingleThreadExecutor();
  private final ExecutorService repairs = Executors.newFixedThreadPool(2);

  @AfterEach
  void tearDown() {
    actions.release.countDown();
    judging.shutdownNow();
    repairs.shutdownNow();
  }

  private TunnelSupervisor supervisor(String name, String target) throws UnknownHostException {
    TunnelSettings settings =
        TunnelSettings.builder()
            .interval(Duration.ofSeconds(1))
            .count(1)
            .timeout(Duration.ofMillis(500))
            .window(Duration.ofSeconds(30))
            .ladder(RemedyAction.REINITIATE, RemedyAction.RESTART_IKE)
            .settle(Duration.ofSeconds(5))
            .build();
    TunnelConfig tunnel =
        new TunnelConfig(
            name, name, "net", InetAddress.getByName("198.51.100.1"), List.of(ProbeTarget.icmp(InetAddress.getByName(target))),
            Optional.empty(), settings);
    TunnelEvents events = new TunnelEvents() {};
    return new TunnelSupervisor(
        tunnel,
        new TunnelSupervisor.Collaborators(
            new RoundProber(prober),
            new UplinkMonitor(Map.of(), new LinkStateReader(sys), events),
            new SaReader(new QuietBackend(), time, Duration.ofMillis(500)),
            actions,
            new ServiceRestarts(),
            events,
            time,
            judging,
            repairs),
        listener);
  }

  @Nested
  class OneRoundInFlight {

    @Test
    void aFiringWhileTheRoundIsInFlightIsSkippedAndTheNextAfterItsEndStarts() throws Exception {
      TunnelSupervisor supervisor = supervisor("t1", "203.0.113.1");

      assertThat(supervisor.startRound()).isTrue();
      assertThat(supervisor.startRound()).as("echoes still in flight").isFalse();
      assertThat(prober.held).hasSize(1);

      prober.answerNext(1);
      listener.awaitEnded(1);

      assertThat(supervisor.status().sa()).as("judged").isNotEqualTo("not read yet");
      assertThat(supervisor.startRound()).isTrue();
      assertThat(prober.submitted.get()).isEqualTo(2);
    }

    @Test
    void aRoundAskedForWhileOneIsInFlightRunsRightAfterIt() throws Exception {
      TunnelSupervisor supervisor = supervisor("t1", "203.0.113.1");
      supervisor.startRound();

      supervisor.startRoundSoon();
      assertThat(prober.submitted.get()).as("not doubled").isEqualTo(1);
      prober.answerNext(1);

      await().atMost(Duration.ofSeconds(10)).until(() -> prober.submitted.get() == 2);
      assertThat(listener.ended.get()).isEqualTo(1);
      prober.answerNext(1);
      listener.awaitEnded(2);
    }

    @Test
    void aFailedRoundIsConfirmedByFurtherRoundsBeforeTheRoundEnds() throws Exception {
      TunnelSupervisor supervisor = supervisor("t1", "203.0.113.1");
      supervisor.startRound();
      prober.answerNext(1);
      listener.awaitEnded(1);

      supervisor.startRound();
      for (int round = 1; round <= 3; round++) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !prober.held.isEmpty());
        assertThat(listener.ended.get()).as("still in flight while confirming").isEqualTo(1);
        assertThat(supervisor.startRound()).isFalse();
        prober.answerNext(0);
      }
      listener.awaitEnded(2);

      assertThat(prober.submitted.get()).isEqualTo(1 + 3);
      assertThat(supervisor.status().state()).isEqualTo("down");
      assertThat(actions.ran).containsExactly("t1 reinitiate");
    }

    @Test
    void aStepThatFailsInsideTheAgentEndsTheRoundSoTheTunnelIsProbedAgain() throws Exception {
      TunnelSupervisor supervisor = supervisor("t1", "203.0.113.1");
      supervisor.startRound();

      prober.answerNextWith(null); // a result the round cannot use: a bug in a prober

      listener.awaitEnded(1);
      assertThat(listener.failures).hasSize(1);
      assertThat(supervisor.startRound()).isTrue();
    }
  }

  @Nested
  class Reload {

    @Test
    void stoppingWaitsForTheRoundInFlightAndStartsNoMore() throws Exception {
      TunnelSupervisor supervisor = supervisor("t1", "203.0.113.1");
      supervisor.startRound();
      supervisor.stop();
      CountDownLatch idle = new CountDownLatch(1);
      Thread waiter =
          new Thread(
              () -> {
                try {
                  supervisor.awaitIdle();
                  idle.countDown();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      waiter.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.WAITING);
      assertThat(idle.getCount()).as("waiting while the echoes fly").isEqualTo(1);

      prober.answerNext(1);

      assertThat(idle.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(supervisor.status().sa()).as("the round in flight was judged").isNotEqualTo("not read yet");
      assertThat(supervisor.startRound()).isFalse();
      supervisor.startRoundSoon();
      assertThat(prober.submitted.get()).isEqualTo(1);
    }

    @Test
    void stoppingWaitsForTheRepairTheRoundStarted() throws Exception {
      actions.hold = true;
      TunnelSupervisor supervisor = supervisor("t1", "203.0.113.1");
      supervisor.startRound();
      for (int i = 0; i < 3; i++) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !prober.held.isEmpty());
        prober.answerNext(0);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> actions.running.get() == 1);
      supervisor.stop();
      Thread waiter = new Thread(() -> {
        try {
          supervisor.awaitIdle();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      waiter.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.WAITING);

      actions.release.countDown();

      waiter.join(10_000);
      assertThat(waiter.isAlive()).isFalse();
      assertThat(supervisor.status().lastAction().action()).isEqualTo("reinitiate");
    }
  }

  @Test
  void aRepairThatBlocksHoldsNeitherTheJudgingOfOtherTunnelsNorItsOwnRounds() throws Exception {
    actions.hold = true;
    TunnelSupervisor broken = supervisor("broken", "203.0.113.1");
    TunnelSupervisor healthy = supervisor("healthy", "203.0.113.2");
    broken.startRound();
    for (int i = 0; i < 3; i++) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !prober.held.isEmpty());
      prober.answerNext(0);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> actions.running.get() == 1);
    listener.awaitEnded(1); // the broken tunnel's round ends once its repair has begun

    for (int round = 1; round <= 3; round++) {
      time.advance(Duration.ofSeconds(1));
      assertThat(healthy.startRound()).isTrue();
      prober.answerNext(1);
      listener.awaitEnded(round + 1);
    }
    assertThat(healthy.status().state()).isEqualTo("up");

    time.advance(Duration.ofSeconds(1));
    assertThat(broken.startRound()).as("the broken tunnel is probed on while its repair runs").isTrue();
    prober.answerNext(0);
    listener.awaitEnded(5);
    assertThat(broken.status().remedy()).isEqualTo("reinitiate under way");
    assertThat(actions.running.get()).as("no second action beside the first").isEqualTo(1);

    actions.release.countDown();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> broken.status().lastAction() != null && broken.status().lastAction().result().equals("success"));
  }

  /** Keeps every request until the test answers it, in order. */
  private static final class HeldProber implements AsyncEchoProber {
    record Held(EchoRequest request, EchoCallback callback) {}

    final ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
    final AtomicInteger submitted = new AtomicInteger();

    @Override
    public void submit(EchoRequest request, EchoCallback callback) {
      submitted.incrementAndGet();
      held.add(new Held(request, callback));
    }

    /** Answers the oldest request held, from this thread (as an engine thread would). */
    void answerNext(int replies) {
      Held next = take();
      List<Duration> rtts = new ArrayList<>();
      for (int i = 0; i < replies; i++) {
        rtts.add(Duration.ofMillis(1));
      }
      next.callback().completed(next.request(), EchoResult.of(next.request().target(), next.request().count(), rtts));
    }

    void answerNextWith(EchoResult result) {
      Held next = take();
      next.callback().completed(next.request(), result);
    }

    private Held take() {
      await().atMost(Duration.ofSeconds(10)).until(() -> !held.isEmpty());
      return held.poll();
    }

    @Override
    public String name() {
      return "held";
    }

    @Override
    public void close() {}
  }

  /** Repairs that succeed, optionally only once the test releases them. */
  private static final class HeldActions implements ActionRunner {
    final List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicInteger running = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean hold;

    @Override
    public RemedyOutcome run(RepairTarget target, RemedyAction action) {
      ran.add(target.ike() + " " + action.configName());
      running.incrementAndGet();
      try {
        if (hold) {
          release.await(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        running.decrementAndGet();
      }
      return new RemedyOutcome(action, RemedyResult.SUCCESS, "", Duration.ZERO);
    }
  }

  private static final class RecordingListener implements RoundListener {
    final AtomicInteger ended = new AtomicInteger();
    final List<RuntimeException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void roundFailed(String tunnel, RuntimeException failure) {
      failures.add(failure);
    }

    @Override
    public void roundEnded(String tunnel) {
      ended.incrementAndGet();
    }

    void awaitEnded(int count) {
      await().atMost(Duration.ofSeconds(10)).until(() -> ended.get() >= count);
    }
  }
}
