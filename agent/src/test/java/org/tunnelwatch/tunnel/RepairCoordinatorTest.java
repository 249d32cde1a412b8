package org.tunnelwatch.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.config.TunnelSettings;
import org.tunnelwatch.probe.ProbeTarget;
import org.tunnelwatch.remedy.Decision;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.RemedyPlan;
import org.tunnelwatch.remedy.RemedyResult;
import org.tunnelwatch.remedy.RemedyState;
import org.tunnelwatch.remedy.SharedView;
import org.tunnelwatch.remedy.SharingPolicy;

/**
 * The coordinator's bookkeeping: who is healthy, which action holds whom back, who settles on
 * whose action, and which outage is collateral. The planner is replaced by a function that
 * records the view it was given and returns the decision the test wants.
 */
class RepairCoordinatorTest {

  private static final long SECOND = 1_000_000_000L;

  private final List<String> collateral = new ArrayList<>();
  private final RepairCoordinator coordinator =
      new RepairCoordinator(false, SharingPolicy.DEFAULT, (t, by, a) -> collateral.add(t + " by " + by + " " + a));

  RepairCoordinatorTest() throws Exception {
    coordinator.register(tunnel("sg1", "ike-a", "net"));
    coordinator.register(tunnel("sg11", "ike-a", "net11"));
    coordinator.register(tunnel("sg2", "ike-b", "net"));
  }

  private static TunnelConfig tunnel(String name, String ike, String child) throws Exception {
    TunnelSettings s =
        TunnelSettings.builder().ladder(RemedyAction.REINITIATE, RemedyAction.RESTART_IKE).build();
    return new TunnelConfig(name, ike, child, InetAddress.getByName("198.51.100.1"), List.of(ProbeTarget.icmp(InetAddress.getByName("203.0.113.1"))),
        Optional.empty(), s);
  }

  /** Lets {@code tunnel} decide {@code decision} at {@code now}; returns the view it was shown. */
  private SharedView decide(String tunnel, boolean healthy, boolean down, long now, Decision decision) {
    AtomicReference<SharedView> seen = new AtomicReference<>();
    coordinator.decide(tunnel, healthy, down, true, now, view -> {
      seen.set(view);
      return new RemedyPlan(RemedyState.initial(), decision);
    });
    return seen.get();
  }

  private static Decision.Act act(RemedyAction action) {
    return new Decision.Act(action, 1, "test");
  }

  private static final Decision IDLE = new Decision.Idle("test");

  @Test
  void theViewNamesHealthySiblingsAndTunnelsElsewhere() {
    decide("sg11", true, false, SECOND, IDLE);
    decide("sg2", true, false, SECOND, IDLE);
    SharedView view = decide("sg1", false, true, 2 * SECOND, IDLE);
    assertThat(view.healthySiblings()).containsExactly("sg11");
    assertThat(view.healthyElsewhere()).containsExactly("sg2");
    assertThat(view.makeBeforeBreak()).isFalse();
  }

  @Test
  void aRoundWhosePlannerCannotActIsShownNothingSharedYetCountsForTheOthers() {
    decide("sg1", false, true, SECOND, act(RemedyAction.RESTART_IKE));
    AtomicReference<SharedView> seen = new AtomicReference<>();
    coordinator.decide("sg11", true, false, false, 2 * SECOND, v -> {
      seen.set(v);
      return new RemedyPlan(RemedyState.initial(), IDLE);
    });
    assertThat(seen.get().ikeBusy()).isEmpty();
    assertThat(seen.get().healthySiblings()).isEmpty();
    assertThat(decide("sg2", false, true, 3 * SECOND, IDLE).healthyElsewhere()).containsExactly("sg11");
  }

  @Test
  void anIkeRestartHoldsTheSiblingBackWhileItRunsAndSettlesAndIsTheSiblingsToSettleOn() {
    decide("sg11", false, true, SECOND, IDLE);
    decide("sg1", false, true, 2 * SECOND, act(RemedyAction.RESTART_IKE));

    SharedView whileRunning = decide("sg11", false, false, 3 * SECOND, IDLE);
    assertThat(whileRunning.ikeBusy()).hasValueSatisfying(b -> {
      assertThat(b.tunnel()).isEqualTo("sg1");
      assertThat(b.running()).isTrue();
    });
    assertThat(whileRunning.settleOn()).as("not before it has ended").isEmpty();
    assertThat(decide("sg2", false, false, 3 * SECOND, IDLE).ikeBusy()).as("another IKE SA").isEmpty();

    coordinator.ended("sg1", RemedyResult.SUCCESS, 4 * SECOND);
    SharedView settling = decide("sg11", false, false, 5 * SECOND, IDLE);
    assertThat(settling.ikeBusy()).hasValueSatisfying(b -> assertThat(b.settleLeft()).isEqualTo(Duration.ofSeconds(12)));
    assertThat(settling.settleOn()).contains(new SharedView.Taken("sg1", RemedyAction.RESTART_IKE, 2 * SECOND, false));

    assertThat(decide("sg11", false, false, 18 * SECOND, IDLE).ikeBusy()).as("settled").isEmpty();
  }

  @Test
  void aFailedOrSkippedActionHoldsNobodyBack() {
    decide("sg1", false, true, SECOND, act(RemedyAction.RESTART_IKE));
    coordinator.ended("sg1", RemedyResult.FAILURE, 2 * SECOND);
    SharedView afterFailure = decide("sg11", false, false, 3 * SECOND, IDLE);
    assertThat(afterFailure.ikeBusy()).isEmpty();
    assertThat(afterFailure.settleOn()).hasValueSatisfying(t -> assertThat(t.failed()).isTrue());

    decide("sg1", false, false, 4 * SECOND, act(RemedyAction.RESTART_IKE));
    coordinator.ended("sg1", RemedyResult.SKIPPED, 5 * SECOND);
    SharedView view = decide("sg11", false, false, 6 * SECOND, IDLE);
    assertThat(view.ikeBusy()).isEmpty();
    assertThat(view.settleOn()).as("nothing was done").isEmpty();
  }

  @Test
  void aServiceRestartHoldsEveryoneBackAndIsSettledOnByTheTunnelsThatWereDown() {
    decide("sg2", true, false, SECOND, IDLE);
    decide("sg1", false, true, 2 * SECOND, act(RemedyAction.RESTART_SERVICE));
    SharedView other = decide("sg2", true, false, 3 * SECOND, IDLE);
    assertThat(other.gatewayBusy()).isPresent();
    assertThat(other.ikeBusy()).as("a service restart rebuilds every IKE SA").isPresent();
    coordinator.ended("sg1", RemedyResult.SUCCESS, 4 * SECOND);
    assertThat(decide("sg11", false, false, 5 * SECOND, IDLE).settleOn()).isPresent();
    assertThat(decide("sg2", false, false, 5 * SECOND, IDLE).settleOn()).as("sg2 was up: not its action").isEmpty();
  }

  @Test
  void aTunnelThatWasUpAndGoesDownUnderAnotherTunnelsIkeRestartIsACollateralOutageCountedOnce() {
    decide("sg11", true, false, SECOND, IDLE);
    decide("sg1", false, true, 2 * SECOND, act(RemedyAction.RESTART_IKE));
    coordinator.ended("sg1", RemedyResult.SUCCESS, 3 * SECOND);
    decide("sg11", false, true, 8 * SECOND, IDLE);
    decide("sg11", false, true, 9 * SECOND, IDLE);
    assertThat(collateral).containsExactly("sg11 by sg1 restart-ike");
  }

  @Test
  void aTunnelThatWasAlreadyFailingOrGoesDownLongAfterIsNotCollateral() {
    decide("sg11", false, false, SECOND, IDLE);
    decide("sg2", true, false, SECOND, IDLE);
    decide("sg1", false, true, 2 * SECOND, act(RemedyAction.RESTART_IKE));
    coordinator.ended("sg1", RemedyResult.SUCCESS, 3 * SECOND);
    decide("sg11", false, true, 6 * SECOND, IDLE);
    decide("sg2", false, true, 6 * SECOND, IDLE); // another IKE SA: not touched by it
    assertThat(collateral).isEmpty();

    decide("sg11", true, false, 10 * SECOND, IDLE);
    decide("sg1", false, false, 11 * SECOND, act(RemedyAction.REINITIATE));
    coordinator.ended("sg1", RemedyResult.SUCCESS, 12 * SECOND);
    decide("sg11", false, true, 40 * SECOND, IDLE); // long after its settle time
    assertThat(collateral).isEmpty();
  }

  @Test
  void anIkeRestartBringsBackEveryMembersChildSaItsOwnFirst() {
    assertThat(coordinator.childrenToRestore("sg11")).containsExactly("net11", "net");
    assertThat(coordinator.childrenToRestore("sg2")).containsExactly("net");
  }

  @Test
  void aReloadKeepsTheActionsOfTheTunnelsThatStay() throws Exception {
    decide("sg1", false, true, SECOND, act(RemedyAction.RESTART_IKE));
    coordinator.ended("sg1", RemedyResult.SUCCESS, 2 * SECOND);
    RepairCoordinator next = new RepairCoordinator(false, SharingPolicy.DEFAULT, (t, by, a) -> {});
    next.register(tunnel("sg1", "ike-a", "net"));
    next.register(tunnel("sg11", "ike-a", "net11"));
    next.continueFrom(coordinator);
    AtomicReference<SharedView> seen = new AtomicReference<>();
    next.decide("sg11", false, false, true, 3 * SECOND, v -> {
      seen.set(v);
      return new RemedyPlan(RemedyState.initial(), IDLE);
    });
    assertThat(seen.get().ikeBusy()).isPresent();
  }
}
