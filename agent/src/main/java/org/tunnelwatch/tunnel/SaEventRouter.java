package org.tunnelwatch.tunnel;

import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.ipsec.SaEventListener;

/**
 * Turns the daemon's "SA down" events into immediate rounds: the tunnels whose SA it was are told
 * (so that their next round checks the SAs before probing) and their rounds are started now
 * through {@code runNow}, without waiting for the schedule. After a lost event connection every
 * tunnel is checked afresh. Thread-safe.
 */
public final class SaEventRouter implements SaEventListener {

  private static final Logger log = LoggerFactory.getLogger(SaEventRouter.class);

  private final List<TunnelSupervisor> supervisors;
  private final SaReader sas;
  private final Consumer<String> runNow;
  private final BiConsumer<String, String> childRekeyed;

  /**
   * @param supervisors every watched tunnel
   * @param sas the shared SA cache, forgotten on resync
   * @param runNow starts the round of the named tunnel now (it never overlaps a running one)
   */
  public SaEventRouter(List<TunnelSupervisor> supervisors, SaReader sas, Consumer<String> runNow) {
    this(supervisors, sas, runNow, (ike, child) -> {});
  }

  /** @param childRekeyed told of each rekeyed CHILD SA (connection, CHILD SA name): the failover groups */
  public SaEventRouter(
      List<TunnelSupervisor> supervisors, SaReader sas, Consumer<String> runNow, BiConsumer<String, String> childRekeyed) {
    this.supervisors = List.copyOf(supervisors);
    this.sas = sas;
    this.runNow = runNow;
    this.childRekeyed = childRekeyed;
  }

  @Override
  public void childRekeyed(String ike, String child) {
    childRekeyed.accept(ike, child);
  }

  @Override
  public void saDown(String ike, Optional<String> child, String event) {
    for (TunnelSupervisor supervisor : supervisors) {
      var tunnel = supervisor.config();
      if (tunnel.ike().equals(ike) && child.map(tunnel.child()::equals).orElse(true)) {
        String what =
            event + " reported " + child.map(c -> "CHILD SA " + c).orElse("IKE SA " + ike + " and its CHILD SAs") + " down";
        log.info("tunnel={} {}, checking now", tunnel.name(), what);
        supervisor.reportSaGone(what);
        sas.invalidate();
        runNow.accept(tunnel.name());
      }
    }
  }

  @Override
  public void resync() {
    log.info("event stream reconnected: checking every tunnel now");
    sas.invalidate();
    supervisors.forEach(s -> runNow.accept(s.config().name()));
  }
}
