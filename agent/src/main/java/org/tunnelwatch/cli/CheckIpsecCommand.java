package org.tunnelwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.config.ConfigOverrides;
import org.tunnelwatch.config.TunnelConfig;
import org.tunnelwatch.discovery.DiscoveryException;
import org.tunnelwatch.discovery.IpsecConfLiveness;
import org.tunnelwatch.ipsec.strongswan.StrongswanSettingsException;
import org.tunnelwatch.lint.LivenessWarning;
import org.tunnelwatch.lint.SwanctlLiveness;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tunnelwatch check-ipsec}: warns about IPsec settings that undermine or fight the
 * watchdog ({@link org.tunnelwatch.lint.LivenessRule}), with file and line. Exit 0 without
 * warnings, 1 with, 2 when a file named could not be read. Files left at their default paths are
 * skipped when absent, so one command serves strongSwan and Libreswan gateways.
 */
@Command(
    name = "check-ipsec",
    mixinStandardHelpOptions = true,
    description = {
      "Warn about IPsec settings that undermine or fight the watchdog (dead-peer detection, restart actions,",
      "keyingtries, start actions, make-before-break, unique IDs). Prints FILE:LINE: warning: ... [rule].",
      "Exit status: 0 no warnings, 1 warnings, 2 a file could not be read."
    })
final class CheckIpsecCommand implements Callable<Integer> {

  static final String SWANCTL_CONF = "/etc/swanctl/swanctl.conf";
  static final String IPSEC_CONF = "/etc/ipsec.conf";
  static final String STRONGSWAN_CONF = "/etc/strongswan.conf";

  /** How the warnings are printed. */
  enum Format {
    text,
    json
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--swanctl-conf", paramLabel = "FILE", defaultValue = SWANCTL_CONF,
      description = "the swanctl.conf to read (default: ${DEFAULT-VALUE}, skipped if absent)")
  Path swanctlConf;

  @Option(names = "--ipsec-conf", paramLabel = "FILE", defaultValue = IPSEC_CONF,
      description = "the ipsec.conf to read (default: ${DEFAULT-VALUE}, skipped if absent)")
  Path ipsecConf;

  @Option(names = "--strongswan-conf", paramLabel = "FILE", defaultValue = STRONGSWAN_CONF,
      description = "the strongswan.conf to read for make_before_break (default: ${DEFAULT-VALUE}, skipped if absent)")
  Path strongswanConf;

  @Option(names = "--config", paramLabel = "FILE",
      description = "the agent's configuration: start actions are checked for its tunnels (without it, for none)")
  Path config;

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
      description = "text (one warning a line) or json (an array of {file, line, rule, connection, message})")
  Format format;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Optional<List<TunnelConfig>> watched = Optional.empty();
    if (config != null) {
      Optional<AgentConfig> agent = ConfigFiles.load(config, ConfigOverrides.NONE, err);
      if (agent.isEmpty()) {
        return ExitCodes.BAD_CONFIG;
      }
      watched = Optional.of(agent.get().tunnels());
    }
    List<LivenessWarning> warnings = new ArrayList<>();
    int read = 0;
    try {
      if (present(swanctlConf, SWANCTL_CONF, err)) {
        warnings.addAll(SwanctlLiveness.check(swanctlConf, swanctlWatched(watched)));
        read++;
      }
      if (present(strongswanConf, STRONGSWAN_CONF, err) && (read > 0 || !strongswanConf.toString().equals(STRONGSWAN_CONF))) {
        // strongswan.conf on a Libreswan gateway is a leftover: judged only beside swanctl.conf or when named.
        SwanctlLiveness.makeBeforeBreak(strongswanConf).ifPresent(warnings::add);
      }
      if (present(ipsecConf, IPSEC_CONF, err)) {
        warnings.addAll(IpsecConfLiveness.check(ipsecConf, ipsecWatched(watched)));
        read++;
      }
    } catch (StrongswanSettingsException | DiscoveryException | IllegalArgumentException e) {
      err.println("tunnelwatch check-ipsec: " + e.getMessage());
      return ExitCodes.BAD_CONFIG;
    }
    if (read == 0) {
      err.println("tunnelwatch check-ipsec: neither " + swanctlConf + " nor " + ipsecConf + " exists: nothing to check");
      return ExitCodes.BAD_CONFIG;
    }
    // In file order, whatever order the rules found them in (connections are visited by name).
    warnings.sort(LivenessWarning.IN_FILE_ORDER);
    print(warnings, spec.commandLine().getOut());
    return warnings.isEmpty() ? ExitCodes.OK : ExitCodes.NOT_OK;
  }

  /** A file at its default path may be absent; one the operator named must exist. */
  private static boolean present(Path file, String defaultPath, PrintWriter err) {
    if (Files.exists(file)) {
      return true;
    }
    if (!file.toString().equals(defaultPath)) {
      throw new IllegalArgumentException(file + ": no such file");
    }
    return false;
  }

  private static BiPredicate<String, String> swanctlWatched(Optional<List<TunnelConfig>> tunnels) {
    return tunnels
        .<BiPredicate<String, String>>map(list -> (conn, child) -> list.stream().anyMatch(t -> t.ike().equals(conn) && t.child().equals(child)))
        .orElse((conn, child) -> false);
  }

  private static Predicate<String> ipsecWatched(Optional<List<TunnelConfig>> tunnels) {
    return tunnels.<Predicate<String>>map(list -> conn -> list.stream().anyMatch(t -> t.ike().equals(conn))).orElse(conn -> false);
  }

  private void print(List<LivenessWarning> warnings, PrintWriter out) {
    if (format == Format.text) {
      warnings.forEach(out::println);
      return;
    }
    ObjectMapper json = new ObjectMapper();
    ArrayNode array = json.createArrayNode();
    for (LivenessWarning w : warnings) {
      ObjectNode node = array.addObject();
      node.put("file", w.file());
      node.put("line", w.line());
      node.put("rule", w.rule().configName());
      node.put("connection", w.connection());
      node.put("message", w.message());
    }
    out.println(array.toPrettyString());
  }
}
