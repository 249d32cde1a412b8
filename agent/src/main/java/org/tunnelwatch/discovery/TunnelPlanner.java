package org.tunnelwatch.discovery;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.tunnelwatch.config.IpAddresses;
import org.tunnelwatch.discovery.ConnectionDescription.ChildDescription;
import org.tunnelwatch.discovery.ConnectionSource.Found;
import org.tunnelwatch.discovery.ConnectionSource.Skipped;

/**
 * Turns connections into tunnels to watch, the same way whatever they were read from.
 *
 * <ul>
 *   <li><b>source</b>: an address of this host inside the local selector (the first one, in
 *       interface order); for a {@code dynamic} selector, the local address itself ({@code
 *       %defaultroute} and {@code %any}: the default-route interface's address). None found: the
 *       tunnel is proposed with a TODO instead of an invented address.
 *   <li><b>target</b>: the first host of the first remote selector ({@code 192.168.5.0/24} gives
 *       {@code 192.168.5.1}) of the source's address family; for a {@code dynamic} selector, the
 *       peer's address if it is an IP literal. A selector of everything ({@code 0.0.0.0/0}) has no
 *       meaningful first host. No target at all: the connection is skipped, as there is nothing
 *       fixed to probe.
 * </ul>
 *
 * Pure apart from asking {@link HostInterfaces}.
 */
public final class TunnelPlanner {

  /** What {@code tunnels[].name}, {@code ike} and {@code child} accept. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  private final HostInterfaces host;

  public TunnelPlanner(HostInterfaces host) {
    this.host = host;
  }

  /**
   * The plan for what a source found.
   *
   * @param tunnels proposed tunnels, ready ones and ones with a TODO, in the source's order
   * @param skipped connections that give no tunnel, with the reason
   * @param diagnostics the source's warnings and the planner's, for stderr
   */
  public record Plan(List<PlannedTunnel> tunnels, List<Skipped> skipped, List<Diagnostic> diagnostics) {

    public Plan {
      tunnels = List.copyOf(tunnels);
      skipped = List.copyOf(skipped);
      diagnostics = List.copyOf(diagnostics);
    }

    public List<PlannedTunnel> ready() {
      return tunnels.stream().filter(PlannedTunnel::ready).toList();
    }
  }

  public Plan plan(Found found) {
    List<PlannedTunnel> tunnels = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>(found.skipped());
    List<Diagnostic> diagnostics = new ArrayList<>(found.diagnostics());
    for (ConnectionDescription conn : found.connections()) {
      for (ChildDescription child : conn.children()) {
        String name = conn.children().size() == 1 ? conn.name() : conn.name() + "-" + child.name();
        Optional<String> problem = badName(conn, child, name);
        if (problem.isEmpty()) {
          problem = plan(conn, child, name, tunnels, diagnostics);
        }
        problem.ifPresent(
            reason -> {
              skipped.add(new Skipped(name, conn.origin(), reason));
              diagnostics.add(diagnostic(conn.origin(), "conn " + conn.name() + ": " + reason + "; skipped"));
            });
      }
    }
    return new Plan(tunnels, skipped, Diagnostic.inFileOrder(diagnostics));
  }

  private Optional<String> plan(
      ConnectionDescription conn, ChildDescription child, String name, List<PlannedTunnel> tunnels, List<Diagnostic> diagnostics) {
    Optional<InetAddress> source = source(conn, child);
    List<InetAddress> candidates = targets(conn, child);
    Optional<InetAddress> target =
        candidates.stream()
            .filter(t -> source.isEmpty() || (t instanceof Inet4Address) == (source.get() instanceof Inet4Address))
            .findFirst();
    if (target.isEmpty()) {
      return Optional.of(
          "nothing fixed to probe behind the peer (remote selector " + String.join(",", child.remoteTs())
              + ", peer address " + String.join(",", conn.remoteAddresses()) + ")");
    }
    Optional<String> todo = Optional.empty();
    if (source.isEmpty()) {
      String what =
          child.localTs().contains("dynamic")
              ? "this host's own address for the tunnel is not known here (local address " + String.join(",", conn.localAddresses()) + ")"
              : "no address of this host inside " + String.join(",", child.localTs());
      todo = Optional.of(what + ": set source to this gateway's LAN address in the tunnel");
      diagnostics.add(diagnostic(conn.origin(), "conn " + conn.name() + ": " + what + "; written commented out with a TODO"));
    }
    tunnels.add(new PlannedTunnel(name, conn.name(), child.name(), source, List.of(target.get()), conn.origin(), conn.notes(), todo));
    return Optional.empty();
  }

  private static Optional<String> badName(ConnectionDescription conn, ChildDescription child, String name) {
    for (String n : List.of(name, conn.name(), child.name())) {
      if (!NAME.matcher(n).matches()) {
        return Optional.of("the name \"" + n + "\" is not a tunnelwatch name (1 to 63 letters, digits, '.', '_' or '-')");
      }
    }
    return Optional.empty();
  }

  private Optional<InetAddress> source(ConnectionDescription conn, ChildDescription child) {
    for (String ts : child.localTs()) {
      if (ts.equals("dynamic")) {
        for (String address : conn.localAddresses()) {
          Optional<InetAddress> own =
              address.equals("%defaultroute") || address.equals("%any")
                  ? host.defaultRouteAddress()
                  : IpAddresses.parseLiteral(address);
          if (own.isPresent()) {
            return own;
          }
        }
        continue;
      }
      Optional<Cidr> net = Cidr.parse(stripProtoPort(ts));
      if (net.isEmpty() || net.get().isEverything()) {
        continue;
      }
      for (HostAddress a : host.addresses()) {
        if (net.get().contains(a.address())) {
          return Optional.of(a.address());
        }
      }
    }
    return Optional.empty();
  }

  private static List<InetAddress> targets(ConnectionDescription conn, ChildDescription child) {
    List<InetAddress> targets = new ArrayList<>();
    for (String ts : child.remoteTs()) {
      if (ts.equals("dynamic")) {
        conn.remoteAddresses().stream()
            .map(IpAddresses::parseLiteral)
            .flatMap(Optional::stream)
            .filter(a -> !a.isAnyLocalAddress())
            .findFirst()
            .ifPresent(targets::add);
        continue;
      }
      Cidr.parse(stripProtoPort(ts)).filter(n -> !n.isEverything()).map(Cidr::firstHost).ifPresent(targets::add);
    }
    return targets;
  }

  /** VICI writes a selector limited to a protocol or port as {@code 10.0.0.0/24[tcp/80]}. */
  private static String stripProtoPort(String ts) {
    int bracket = ts.indexOf('[');
    return bracket < 0 ? ts : ts.substring(0, bracket);
  }

  private static Diagnostic diagnostic(String origin, String message) {
    int colon = origin.lastIndexOf(':');
    if (colon > 0 && origin.substring(colon + 1).matches("\\d+")) {
      return new Diagnostic(origin.substring(0, colon), Integer.parseInt(origin.substring(colon + 1)), Diagnostic.Severity.WARNING, message);
    }
    return new Diagnostic(origin, 0, Diagnostic.Severity.WARNING, message);
  }
}
