package org.tunnelwatch.remedy;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.tunnelwatch.ipsec.BackendException;
import org.tunnelwatch.ipsec.IpsecBackend;

/**
 * Runs actions through an {@link IpsecBackend}. Gateway-wide actions (a service restart) are
 * serialised, so that two broken tunnels reaching the last rung together restart the service
 * once after the other rather than at the same moment.
 */
public final class BackendActionRunner implements ActionRunner {

  private final IpsecBackend backend;
  private final ReentrantLock gatewayWide = new ReentrantLock();

  public BackendActionRunner(IpsecBackend backend) {
    this.backend = backend;
  }

  @Override
  public RemedyOutcome run(RepairTarget target, RemedyAction action) {
    long start = System.nanoTime();
    try {
      switch (action) {
        case REINITIATE -> backend.initiateChild(target.ike(), target.child(), target.siblingAlive());
        case REKEY_IKE -> backend.rekeyIke(target.ike());
        case REAUTH_IKE -> backend.reauthIke(target.ike(), target.children());
        case RESTART_IKE -> backend.restartIke(target.ike(), target.children());
        case RESTART_SERVICE -> {
          gatewayWide.lock();
          try {
            backend.restartService();
          } finally {
            gatewayWide.unlock();
          }
        }
      }
      return new RemedyOutcome(action, RemedyResult.SUCCESS, "", took(start));
    } catch (BackendException e) {
      return new RemedyOutcome(action, RemedyResult.FAILURE, e.getMessage(), took(start));
    }
  }

  private static Duration took(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
