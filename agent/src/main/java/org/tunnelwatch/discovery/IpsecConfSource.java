package org.tunnelwatch.discovery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tunnelwatch.config.IpAddresses;
import org.tunnelwatch.discovery.ConnectionDescription.ChildDescription;

/**
 * The connections of an ipsec.conf (FreeS/WAN, Openswan, Libreswan syntax), oriented for this
 * host.
 *
 * <p>An ipsec.conf does not say which end is this gateway: the same file may serve both. The
 * rule, per conn, unless the operator says {@code --local left|right}:
 *
 * <ol>
 *   <li>A side is <em>this host</em> when its address is {@code %defaultroute}, or an address of
 *       a local interface, or its {@code nexthop} is {@code %defaultroute} (only meaningful for
 *       this host's own route), or its subnet holds an address of a local interface.
 *   <li>A side is <em>the peer</em> when its address is a wildcard ({@code 0.0.0.0}, {@code
 *       %any}, {@code %opportunistic}...): a gateway is never its own wildcard.
 *   <li>If exactly one side is this host and is not a wildcard, it is local. If neither is, but
 *       exactly one side is a wildcard, the other is local. Anything else is ambiguous: the conn is
 *       skipped with a warning, never guessed.
 * </ol>
 *
 * <p>A conn is skipped too (with a warning) when it lacks {@code left=} or {@code right=}, or
 * when the daemon would not load it ({@code auto=ignore}, the default). Conns used only as
 * {@code also=} building blocks are left out silently.
 */
public final class IpsecConfSource implements ConnectionSource {

  private static final Set<String> WILDCARDS =
      Set.of("%any", "%any4", "%any6", "0.0.0.0", "::", "%opportunistic", "%opportunisticgroup", "%group");
  private static final Set<String> LOADED = Set.of("add", "start", "route", "ondemand", "up", "keep");

  private final Path file;
  private final String shownAs;
  private final HostInterfaces host;
  private final Optional<Side> forcedLocal;

  /**
   * @param file the ipsec.conf
   * @param shownAs how messages name it
   * @param host this host's interfaces
   * @param forcedLocal the operator's word on which side is this host, for every conn
   */
  public IpsecConfSource(Path file, String shownAs, HostInterfaces host, Optional<Side> forcedLocal) {
    this.file = file;
    this.shownAs = shownAs;
    this.host = host;
    this.forcedLocal = forcedLocal;
  }

  @Override
  public Found read() throws DiscoveryException {
    IpsecConfReader.Result read = new IpsecConfReader().read(file, shownAs);
    List<Diagnostic> diagnostics = new ArrayList<>(read.diagnostics());
    diagnostics.addAll(ConfChecks.magicValues(read.sections()));
    ConnResolver.Result resolved = ConnResolver.resolve(read.sections());
    diagnostics.addAll(resolved.diagnostics());
    diagnostics.addAll(ConfChecks.letterForDigit(resolved.conns()));
    diagnostics.addAll(ConfChecks.sharedIds(resolved.conns()));
    List<ConnectionDescription> connections = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    for (ResolvedConn conn : resolved.conns()) {
      Optional<String> reason = unusable(conn);
      if (reason.isPresent()) {
        if (!conn.template()) {
          skipped.add(new Skipped(conn.name(), conn.location().toString(), reason.get()));
          diagnostics.add(Diagnostic.warning(conn.location(), "conn " + conn.name() + ": " + reason.get() + "; skipped"));
        }
        continue;
      }
      Orientation o = orient(conn);
      if (o.local.isEmpty()) {
        skipped.add(new Skipped(conn.name(), conn.location().toString(), o.why));
        diagnostics.add(Diagnostic.warning(conn.location(), "conn " + conn.name() + ": " + o.why));
        continue;
      }
      connections.add(describe(conn, o.local.get(), o.why, diagnostics));
    }
    return new Found(connections, skipped, Diagnostic.inFileOrder(diagnostics));
  }

  private static Optional<String> unusable(ResolvedConn conn) {
    boolean left = conn.value("left").filter(v -> !v.isEmpty()).isPresent();
    boolean right = conn.value("right").filter(v -> !v.isEmpty()).isPresent();
    if (!left && !right) {
      return Optional.of("no left= and no right= (nor from %default or also=)");
    }
    if (!left || !right) {
      return Optional.of("no " + (left ? "right" : "left") + "= (nor from %default or also=)");
    }
    String auto = conn.value("auto").orElse("ignore");
    if (!LOADED.contains(auto)) {
      return Optional.of(
          "auto=" + auto + (conn.value("auto").isEmpty() ? " (the default)" : "") + ": the daemon does not load this conn");
    }
    return Optional.empty();
  }

  /** Which side is this host, and the evidence, per the rule in the class comment. */
  private Orientation orient(ResolvedConn conn) {
    if (forcedLocal.isPresent()) {
      Side s = forcedLocal.get();
      return new Orientation(forcedLocal, "this host is " + s.word() + " (--local " + s.word() + ")");
    }
    Map<Side, List<String>> evidence = new LinkedHashMap<>();
    Map<Side, Boolean> wildcard = new LinkedHashMap<>();
    for (Side side : Side.values()) {
      evidence.put(side, localEvidence(conn, side));
      wildcard.put(side, WILDCARDS.contains(conn.value(side.word()).orElse("")));
    }
    List<Side> local = new ArrayList<>();
    for (Side side : Side.values()) {
      if (!evidence.get(side).isEmpty() && !wildcard.get(side)) {
        local.add(side);
      }
    }
    if (local.size() == 1) {
      Side s = local.get(0);
      return new Orientation(Optional.of(s), "this host is " + s.word() + ": " + String.join(", ", evidence.get(s)));
    }
    if (local.isEmpty() && wildcard.get(Side.LEFT) != wildcard.get(Side.RIGHT)) {
      Side s = wildcard.get(Side.LEFT) ? Side.RIGHT : Side.LEFT;
      return new Orientation(
          Optional.of(s), "this host is " + s.word() + ": the peer is " + s.other().word() + "=" + conn.value(s.other().word()).orElse(""));
    }
    String why =
        local.isEmpty()
            ? "cannot tell whether this host is left or right (neither side is %defaultroute, an address of this host or"
                + " holds one in its subnet, and neither is a wildcard); give --local left or --local right"
            : "cannot tell whether this host is left or right (both look local: left: " + String.join(", ", evidence.get(Side.LEFT))
                + "; right: " + String.join(", ", evidence.get(Side.RIGHT)) + "); give --local left or --local right";
    return new Orientation(Optional.empty(), why);
  }

  private List<String> localEvidence(ResolvedConn conn, Side side) {
    List<String> found = new ArrayList<>();
    String w = side.word();
    String address = conn.value(w).orElse("");
    if (address.equals("%defaultroute")) {
      found.add(w + "=%defaultroute");
    }
    IpAddresses.parseLiteral(address)
        .flatMap(host::holding)
        .ifPresent(a -> found.add(w + "=" + address + " is an address of this host (" + a.interfaceName() + ")"));
    if (conn.value(w + "nexthop").orElse("").equals("%defaultroute")) {
      found.add(w + "nexthop=%defaultroute");
    }
    for (String item : subnets(conn, side)) {
      Optional<Cidr> net = Cidr.parse(item);
      if (net.isEmpty() || net.get().isEverything()) {
        continue;
      }
      for (HostAddress a : host.addresses()) {
        if (net.get().contains(a.address())) {
          found.add(w + "subnet " + net.get() + " holds " + IpAddresses.toText(a.address()) + " of this host (" + a.interfaceName() + ")");
          break;
        }
      }
    }
    return found;
  }

  private ConnectionDescription describe(ResolvedConn conn, Side local, String why, List<Diagnostic> diagnostics) {
    Side remote = local.other();
    List<String> notes = new ArrayList<>();
    notes.add(why);
    String auto = conn.value("auto").orElse("");
    notes.add(
        switch (auto) {
          case "start", "up" -> "auto=" + auto + ": this gateway brings the tunnel up";
          case "add" -> "auto=add: this gateway waits for the peer to bring the tunnel up";
          case "route", "ondemand" -> "auto=" + auto + ": traffic brings the tunnel up";
          default -> "auto=" + auto;
        });
    String peer = conn.value(remote.word()).orElse("");
    if (WILDCARDS.contains(peer)) {
      notes.add("the peer's address is not known here (" + remote.word() + "=" + peer + "): only the peer can bring the tunnel up again");
    }
    return new ConnectionDescription(
        conn.name(),
        conn.location().toString(),
        List.of(conn.value(local.word()).orElse("")),
        List.of(peer),
        List.of(new ChildDescription(conn.name(), selectors(conn, local, diagnostics), selectors(conn, remote, diagnostics))),
        notes);
  }

  /** The side's subnets as traffic selectors: {@code dynamic} (the address itself) when none. */
  private static List<String> selectors(ResolvedConn conn, Side side, List<Diagnostic> diagnostics) {
    List<String> ts = new ArrayList<>();
    for (String item : subnets(conn, side)) {
      if (Cidr.parse(item).isPresent()) {
        ts.add(item);
      } else {
        ConfSetting s = conn.setting(side.word() + "subnet").or(() -> conn.setting(side.word() + "subnets")).orElseThrow();
        diagnostics.add(Diagnostic.warning(s.location(), s.key() + "=" + s.value() + ": \"" + item + "\" is not a subnet; ignored"));
      }
    }
    return ts.isEmpty() ? List.of("dynamic") : ts;
  }

  /** The items of {@code leftsubnet=} and {@code leftsubnets=} (Libreswan: comma or blank separated, braces allowed). */
  private static List<String> subnets(ResolvedConn conn, Side side) {
    List<String> items = new ArrayList<>();
    for (String key : List.of(side.word() + "subnet", side.word() + "subnets")) {
      for (String item : conn.value(key).orElse("").replace("{", " ").replace("}", " ").split("[,\\s]+")) {
        if (!item.isEmpty()) {
          items.add(item);
        }
      }
    }
    return items;
  }

  private record Orientation(Optional<Side> local, String why) {}
}
