package org.tunnelwatch.ipsec.libreswan;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tunnelwatch.config.BackendConfig;
import org.tunnelwatch.exec.CommandResult;
import org.tunnelwatch.exec.CommandRunner;
import org.tunnelwatch.input.InputLimits;
import org.tunnelwatch.ipsec.BackendException;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.IpsecBackend;

/**
 * Libreswan (pluto) through its {@code ipsec} program. A conn of ipsec.conf is both the IKE and
 * the CHILD SA's name here, so the tunnel's {@code ike} and {@code child} are the conn name.
 *
 * <p>The commands differ between major versions: Libreswan 5 has {@code ipsec up NAME} and
 * {@code ipsec down NAME} and calls a CHILD rekey {@code --rekey-child}; Libreswan 4 needs {@code
 * ipsec auto --up NAME}, {@code ipsec auto --down NAME} and {@code --rekey-ipsec}. The version is
 * configured, or read once from {@code ipsec --version}. Every command is killed at the configured
 * timeout. Thread-safe.
 */
public final class LibreswanBackend implements IpsecBackend {

  private static final Pattern VERSION = Pattern.compile("Libreswan U?(\\d+)\\.(\\d+)");

  private final BackendConfig config;
  private final CommandRunner runner;
  private volatile Integer major;

  public LibreswanBackend(BackendConfig config, CommandRunner runner) {
    this.config = config;
    this.runner = runner;
    OptionalInt given = config.libreswanVersion().major();
    this.major = given.isPresent() ? given.getAsInt() : null;
  }

  @Override
  public List<IkeSa> listSas() throws BackendException {
    String states = whole(ipsec("whack", "--showstates"), "whack --showstates");
    String traffic = whole(ipsec("whack", "--trafficstatus"), "whack --trafficstatus");
    return LibreswanStatusParser.parse(states, traffic);
  }

  /** A listing parsed whole must be whole: one cut at the output limit is refused. */
  private static String whole(CommandResult result, String what) throws BackendException {
    if (result.stdoutCut()) {
      throw new BackendException("ipsec " + what + " printed more than " + InputLimits.describe(InputLimits.PROCESS_OUTPUT_BYTES) + "; not read");
    }
    return result.stdout();
  }

  @Override
  public void initiateChild(String ike, String child, Optional<Boolean> siblingAlive) throws BackendException {
    if (major() >= 5) {
      ipsec("up", child);
    } else {
      ipsec("auto", "--up", child);
    }
  }

  /**
   * {@code up} on the member's conn: pluto negotiates new SAs for it and routes its selectors
   * through them, which moves the traffic of conns with the same selectors to it (as a Libreswan
   * maintainer advises for two hubs: two permanent tunnels, and flip which one routes).
   */
  @Override
  public void carryTraffic(String ike, String child) throws BackendException {
    initiateChild(ike, child);
  }

  /** {@code down} on the member's conn: its SAs are deleted locally, a dead peer costs nothing. */
  @Override
  public void terminateChild(String ike, String child) throws BackendException {
    if (major() >= 5) {
      ipsec("down", child);
    } else {
      ipsec("auto", "--down", child);
    }
  }

  /** {@code down} drops the SAs locally even when the peer is dead; its failure does not stop the up. */
  @Override
  public void restartIke(String ike, String child) throws BackendException {
    List<String> argv = major() >= 5 ? argv("down", ike) : argv("auto", "--down", ike);
    CommandResult down = runner.run(argv, config.timeout());
    if (down.timedOut()) {
      throw new BackendException("ipsec " + String.join(" ", argv.subList(1, argv.size() - 1)) + " " + down.summary());
    }
    initiateChild(ike, child);
  }

  @Override
  public void restartService() throws BackendException {
    CommandResult result = runner.run(List.of("/bin/sh", "-c", config.restartService()), config.timeout());
    if (!result.succeeded()) {
      throw new BackendException("\"" + config.restartService() + "\" " + result.summary());
    }
  }

  /**
   * Libreswan has no reauthentication on demand that builds the new IKE SA before the old one
   * goes; the nearest it has is taking the connection down and up, so this is {@link
   * #restartIke}. (A ladder for Libreswan needs only one of the two rungs.)
   */
  @Override
  public void reauthIke(String ike, String child) throws BackendException {
    restartIke(ike, child);
  }

  /** Rekeys the connection's IKE SA in place: {@code ipsec whack --rekey-ike --name CONN}. */
  public void rekeyIke(String conn) throws BackendException {
    ipsec("whack", "--rekey-ike", "--name", conn);
  }

  /** {@link #rekeyChild(String)} of the member's conn (in Libreswan the CHILD SA is the conn). */
  @Override
  public void rekeyChild(String ike, String child) throws BackendException {
    rekeyChild(child);
  }

  /** Rekeys its IPsec (CHILD) SA: {@code --rekey-child} on Libreswan 5, {@code --rekey-ipsec} on 4. */
  public void rekeyChild(String conn) throws BackendException {
    ipsec("whack", major() >= 5 ? "--rekey-child" : "--rekey-ipsec", "--name", conn);
  }

  @Override
  public String name() {
    return "libreswan" + (major == null ? "" : " " + major) + " (" + config.ipsec() + ")";
  }

  /** The major version, configured or read once from {@code ipsec --version}. */
  int major() throws BackendException {
    Integer known = major;
    if (known != null) {
      return known;
    }
    CommandResult result = runner.run(argv("--version"), config.timeout());
    Optional<Integer> parsed = parseMajor(result.stdout());
    if (!result.succeeded() || parsed.isEmpty()) {
      throw new BackendException(
          "cannot tell the Libreswan version from \"ipsec --version\" (" + result.summary()
              + "); set backend.libreswan-version to 4 or 5");
    }
    major = parsed.get();
    return parsed.get();
  }

  static Optional<Integer> parseMajor(String versionOutput) {
    Matcher m = VERSION.matcher(versionOutput);
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  private CommandResult ipsec(String... args) throws BackendException {
    CommandResult result = runner.run(argv(args), config.timeout());
    if (!result.succeeded()) {
      throw new BackendException("ipsec " + String.join(" ", args) + " " + summary(result));
    }
    return result;
  }

  private List<String> argv(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(config.ipsec().toString());
    argv.addAll(List.of(args));
    return argv;
  }

  /**
   * whack prints its progress and its complaint on the same stream, each line prefixed with a
   * code in Libreswan 4; the last non-empty line says how it ended.
   */
  private static String summary(CommandResult result) {
    if (result.timedOut()) {
      return result.summary();
    }
    String last = "";
    for (String line : (result.stdout() + "\n" + result.stderr()).split("\n")) {
      if (!line.isBlank()) {
        last = line.strip();
      }
    }
    return "exit " + result.exitCode() + (last.isEmpty() ? "" : ": " + last);
  }
}
