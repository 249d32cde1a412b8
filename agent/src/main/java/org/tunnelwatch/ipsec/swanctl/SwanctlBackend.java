package org.tunnelwatch.ipsec.swanctl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tunnelwatch.config.BackendConfig;
import org.tunnelwatch.exec.CommandResult;
import org.tunnelwatch.exec.CommandRunner;
import org.tunnelwatch.input.InputLimits;
import org.tunnelwatch.ipsec.BackendException;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.IpsecBackend;
import org.tunnelwatch.ipsec.SaStatus;
import org.tunnelwatch.ipsec.StaleChild;

/**
 * strongSwan through its {@code swanctl} program. Every call names the daemon's socket with
 * {@code --uri}, so that one machine can manage several daemons (as the lab does), and is killed
 * at the configured timeout.
 *
 * <p>swanctl's own {@code --timeout} is set a little below the process timeout, so that swanctl
 * normally gives up first and says why.
 */
public final class SwanctlBackend implements IpsecBackend {

  private final BackendConfig config;
  private final CommandRunner runner;

  public SwanctlBackend(BackendConfig config, CommandRunner runner) {
    this.config = config;
    this.runner = runner;
  }

  @Override
  public List<IkeSa> listSas() throws BackendException {
    CommandResult result = swanctl("--list-sas", "--raw");
    if (result.stdoutCut()) {
      throw new BackendException(
          "swanctl --list-sas printed more than " + InputLimits.describe(InputLimits.PROCESS_OUTPUT_BYTES) + "; not read (the vici backend has no such limit per SA)");
    }
    try {
      return ListSasParser.parse(result.stdout());
    } catch (RawFormatException e) {
      throw new BackendException("swanctl --list-sas printed something unexpected: " + e.getMessage());
    }
  }

  /**
   * {@code swanctl --initiate}. charon refuses to initiate a CHILD SA while one with the same
   * selectors is installed ("existing duplicate"), which is the case when the CHILD SA is stale:
   * its data plane is dead while its IKE SA lives on, or the peer crashed, or the path is cut. If
   * a sibling CHILD SA shows that the IKE SA is alive, the installed CHILD SA is rekeyed instead,
   * which gives it new SPIs and leaves its siblings alone (see {@link StaleChild}). Either way the
   * initiate failed, and is reported so, which lets the ladder go on at the next round.
   */
  @Override
  public void initiateChild(String ike, String child, Optional<Boolean> siblingAlive) throws BackendException {
    List<String> argv = argv("--initiate", "--ike", ike, "--child", child, "--timeout", swanctlTimeoutSeconds());
    CommandResult result = runner.run(argv, config.timeout());
    if (result.succeeded()) {
      return;
    }
    if (!result.timedOut() && refusedAsDuplicate(result)) {
      throw new BackendException(
          "swanctl --initiate refused: CHILD SA " + child + " is installed already (stale?); " + renew(ike, child, siblingAlive));
    }
    throw new BackendException("swanctl --initiate " + summary(result));
  }

  private String renew(String ike, String child, Optional<Boolean> siblingAlive) {
    if (!siblingAlive.orElseGet(() -> StaleChild.siblingReceiving(listSasOrNone(), ike, child))) {
      return StaleChild.leftToNextRung(siblingAlive);
    }
    CommandResult rekey = runner.run(argv("--rekey", "--ike", ike, "--child", child), config.timeout());
    return rekey.succeeded()
        ? "a sibling CHILD SA still receives, so asked the daemon to rekey it"
        : "rekeying it failed too: " + summary(rekey);
  }

  /** {@code swanctl --rekey --ike NAME --reauth}, or an initiate when there is no IKE SA. */
  @Override
  public void reauthIke(String ike, String child) throws BackendException {
    if (SaStatus.of(listSasOrNone(), ike, child).ike().isEmpty()) {
      initiateChild(ike, child);
      return;
    }
    swanctl("--rekey", "--ike", ike, "--reauth");
  }

  @Override
  public void restartIke(String ike, String child) throws BackendException {
    // --force: a dead peer never answers the DELETE; we want the SA gone locally either way.
    // No --timeout here: with --force, charon takes it as "wait this long for the peer's answer,
    // then destroy", which after a peer crash cost the whole timeout; without it the SA goes at
    // once. A failure here (for example, no such SA) does not stop the initiate that follows.
    CommandResult terminate = runner.run(argv("--terminate", "--ike", ike, "--force"), config.timeout());
    if (terminate.timedOut()) {
      throw new BackendException("swanctl --terminate " + terminate.summary());
    }
    initiateChild(ike, child);
  }

  /**
   * {@code swanctl --terminate --ike NAME --child NAME --timeout -1}: a negative timeout tells
   * charon not to wait for the peer's answer to the DELETE, which a dead peer never sends. No such
   * SA is not a failure: it is gone, as asked.
   */
  @Override
  public void terminateChild(String ike, String child) throws BackendException {
    CommandResult result = runner.run(argv("--terminate", "--ike", ike, "--child", child, "--timeout", "-1"), config.timeout());
    if (result.timedOut()) {
      throw new BackendException("swanctl --terminate " + result.summary());
    }
    if (!result.succeeded() && !(result.stdout() + result.stderr()).contains("no matching SAs")) {
      throw new BackendException("swanctl --terminate " + summary(result));
    }
  }

  @Override
  public void rekeyIke(String ike) throws BackendException {
    swanctl("--rekey", "--ike", ike);
  }

  @Override
  public void restartService() throws BackendException {
    CommandResult result =
        runner.run(List.of("/bin/sh", "-c", config.restartService()), config.timeout());
    if (!result.succeeded()) {
      throw new BackendException("\"" + config.restartService() + "\" " + result.summary());
    }
  }

  @Override
  public String name() {
    return "swanctl (" + config.uri() + ")";
  }

  private CommandResult swanctl(String... args) throws BackendException {
    CommandResult result = runner.run(argv(args), config.timeout());
    if (!result.succeeded()) {
      throw new BackendException("swanctl " + args[0] + " " + summary(result));
    }
    return result;
  }

  private static boolean refusedAsDuplicate(CommandResult result) {
    return (result.stdout() + "\n" + result.stderr()).contains("existing duplicate");
  }

  private List<String> argv(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(config.swanctl().toString());
    argv.addAll(List.of(args));
    argv.add("--uri");
    argv.add(config.uri());
    return argv;
  }

  private String swanctlTimeoutSeconds() {
    Duration t = config.timeout().minusSeconds(1);
    return Long.toString(Math.max(1, t.toSeconds()));
  }

  /**
   * swanctl prints "plugin '…': failed to load" on every call on Debian; the line that explains
   * a failure is the first other one.
   */
  private static String summary(CommandResult result) {
    if (result.timedOut()) {
      return result.summary();
    }
    for (String line : (result.stdout() + "\n" + result.stderr()).split("\n")) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("plugin '") && !l.startsWith("[")) {
        return "exit " + result.exitCode() + ": " + l;
      }
    }
    return "exit " + result.exitCode();
  }
}
