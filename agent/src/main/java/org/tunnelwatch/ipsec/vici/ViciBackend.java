package org.tunnelwatch.ipsec.vici;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.tunnelwatch.config.BackendConfig;
import org.tunnelwatch.exec.CommandResult;
import org.tunnelwatch.exec.CommandRunner;
import org.tunnelwatch.ipsec.BackendException;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.IpsecBackend;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.ipsec.StaleChild;

/**
 * strongSwan through its own control protocol, VICI, on charon's Unix socket: no process per
 * call and no text to parse, and the counters and ages that {@code swanctl} output hides (such
 * as {@code use-in}). The service restart is still the configured shell command, since charon
 * cannot restart itself.
 *
 * <p>Every call ends within the configured backend timeout. Thread-safe (the client serialises
 * commands on its one connection).
 */
public final class ViciBackend implements IpsecBackend, AutoCloseable {

  /** What we leave between charon's own timeout and ours, so that charon says why first. */
  private static final Duration MARGIN = Duration.ofSeconds(2);

  private final BackendConfig config;
  private final ViciClient client;
  private final CommandRunner runner;

  public ViciBackend(BackendConfig config, CommandRunner runner) {
    this(config, new ViciClient(socketPath(config.uri()), config.timeout()), runner);
  }

  ViciBackend(BackendConfig config, ViciClient client, CommandRunner runner) {
    this.config = config;
    this.client = client;
    this.runner = runner;
  }

  /** The filesystem path of a {@code unix:///path} URI. */
  public static Path socketPath(String uri) {
    if (!uri.startsWith("unix://")) {
      throw new IllegalArgumentException("the vici backend needs a unix:/// socket, found " + uri);
    }
    return Path.of(uri.substring("unix://".length()));
  }

  @Override
  public List<IkeSa> listSas() throws BackendException {
    try {
      return ViciSaParser.parse(client.listSas());
    } catch (IOException e) {
      throw new BackendException("vici list-sas: " + e.getMessage());
    }
  }

  /**
   * {@code initiate}. charon refuses it while a CHILD SA with the same selectors is installed,
   * which is the case when that CHILD SA is stale. If a sibling CHILD SA shows that the IKE SA is
   * alive, the installed one is rekeyed instead (new SPIs, its siblings untouched; see {@link
   * StaleChild}). Either way the initiate is reported failed, so that the ladder goes on at the
   * next round. As {@code SwanctlBackend} does.
   */
  @Override
  public void initiateChild(String ike, String child, Optional<Boolean> siblingAlive) throws BackendException {
    try {
      client.initiate(ike, child, charonWait());
    } catch (ViciCommandException e) {
      List<IkeSa> sas = listSasOrNone();
      if (!SaStatus.of(sas, ike, child).childInstalled()) {
        throw new BackendException("vici initiate: " + e.getMessage());
      }
      throw new BackendException(
          "vici initiate refused: CHILD SA " + child + " is installed already (stale?); " + renew(sas, ike, child, siblingAlive));
    } catch (IOException e) {
      throw new BackendException("vici initiate: " + e.getMessage());
    }
  }

  private String renew(List<IkeSa> sas, String ike, String child, Optional<Boolean> siblingAlive) {
    if (!siblingAlive.orElseGet(() -> StaleChild.siblingReceiving(sas, ike, child))) {
      return StaleChild.leftToNextRung(siblingAlive);
    }
    try {
      client.rekeyChild(ike, child);
      return "a sibling CHILD SA still receives, so asked the daemon to rekey it";
    } catch (IOException r) {
      return "rekeying it failed too: " + r.getMessage();
    }
  }

  @Override
  public void reauthIke(String ike, String child) throws BackendException {
    if (SaStatus.of(listSasOrNone(), ike, child).ike().isEmpty()) {
      initiateChild(ike, child);
      return;
    }
    try {
      client.reauthIke(ike);
    } catch (IOException e) {
      throw new BackendException("vici rekey (reauth): " + e.getMessage());
    }
  }

  @Override
  public void restartIke(String ike, String child) throws BackendException {
    try {
      // force: a dead peer never answers the DELETE; we want the SA gone locally either way.
      client.terminateIke(ike, true, charonWait());
    } catch (ViciCommandException e) {
      // Nothing to terminate (for example, the SA is already gone): the initiate still follows.
    } catch (IOException e) {
      throw new BackendException("vici terminate: " + e.getMessage());
    }
    initiateChild(ike, child);
  }

  @Override
  public void terminateChild(String ike, String child) throws BackendException {
    try {
      client.terminateChild(ike, child);
    } catch (ViciCommandException e) {
      // Nothing to terminate: the CHILD SA is gone already, which is what was asked for.
    } catch (IOException e) {
      throw new BackendException("vici terminate: " + e.getMessage());
    }
  }

  @Override
  public void rekeyIke(String ike) throws BackendException {
    try {
      client.rekeyIke(ike);
    } catch (IOException e) {
      throw new BackendException("vici rekey: " + e.getMessage());
    }
  }

  @Override
  public void restartService() throws BackendException {
    CommandResult result = runner.run(List.of("/bin/sh", "-c", config.restartService()), config.timeout());
    // The service restart ends charon's end of our connection; start afresh next time.
    client.disconnect();
    if (!result.succeeded()) {
      throw new BackendException("\"" + config.restartService() + "\" " + result.summary());
    }
  }

  @Override
  public String name() {
    return "vici (" + config.uri() + ")";
  }

  @Override
  public void close() {
    client.close();
  }

  private Duration charonWait() {
    Duration wait = config.timeout().minus(MARGIN);
    return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
  }
}
