package org.tunnelwatch.discovery;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.tunnelwatch.config.IpAddresses;
import org.tunnelwatch.discovery.ConnectionSource.Skipped;

/**
 * Writes a plan as a tunnelwatch configuration that {@code check-config} accepts: ready tunnels
 * as they are, tunnels with a TODO and skipped connections as comments (so that the file stays
 * valid until the operator fills them in), each with where it came from and why. Pure.
 */
public final class ConfigYamlWriter {

  private ConfigYamlWriter() {}

  /**
   * @param plan what discovery found
   * @param from the input, for the header (a file name or a socket URI)
   * @param backendType the {@code backend.type} to write
   * @param uri the daemon's socket to write as {@code backend.uri}, if not the default
   */
  public static String write(TunnelPlanner.Plan plan, String from, String backendType, Optional<String> uri) {
    StringBuilder out = new StringBuilder();
    out.append("# Discovered by \"tunnelwatch discover\" from ").append(from).append(".\n");
    out.append("# Check each tunnel, then validate with: tunnelwatch check-config FILE\n");
    out.append("backend:\n");
    out.append("  type: ").append(backendType).append('\n');
    uri.ifPresent(u -> out.append("  uri: ").append(quoted(u)).append('\n'));
    List<PlannedTunnel> ready = plan.ready();
    out.append(ready.isEmpty() ? "tunnels: []\n" : "tunnels:\n");
    for (PlannedTunnel t : plan.tunnels()) {
      out.append("  # ").append(t.name()).append(" (").append(t.origin()).append(")\n");
      for (String note : t.notes()) {
        out.append("  # ").append(note).append('\n');
      }
      String prefix = "  ";
      if (t.todo().isPresent()) {
        out.append("  # TODO ").append(t.todo().get()).append(", then remove the # signs below\n");
        prefix = "  # ";
      }
      out.append(prefix).append("- name: ").append(quoted(t.name())).append('\n');
      out.append(prefix).append("  ike: ").append(quoted(t.ike())).append('\n');
      out.append(prefix).append("  child: ").append(quoted(t.child())).append('\n');
      out.append(prefix).append("  source: ").append(t.source().map(ConfigYamlWriter::address).orElse("TODO")).append('\n');
      out.append(prefix).append("  targets: [");
      out.append(String.join(", ", t.targets().stream().map(ConfigYamlWriter::address).toList()));
      out.append("]\n");
    }
    for (Skipped s : plan.skipped()) {
      out.append("  # skipped ").append(s.name()).append(" (").append(s.origin()).append("): ").append(s.reason()).append('\n');
    }
    return out.toString();
  }

  private static String address(InetAddress a) {
    String text = IpAddresses.toText(a);
    return a instanceof Inet4Address ? text : quoted(text);
  }

  /** A YAML double-quoted scalar: names like {@code 1e3} or {@code true} stay strings. */
  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
