package org.tunnelwatch.discovery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.tunnelwatch.lint.LivenessRule;
import org.tunnelwatch.lint.LivenessWarning;

/**
 * The liveness rules ({@link LivenessRule}) applied to an ipsec.conf (strongSwan's starter or
 * Libreswan), with {@code also=} and {@code conn %default} applied as discovery reads it. A conn
 * with {@code auto=start} or {@code auto=route} is an initiator, any other a responder. Where the
 * two implementations' defaults differ ({@code keyingtries}: 3 in strongSwan, forever in
 * Libreswan), only a value written is judged. Pure apart from reading the files.
 */
public final class IpsecConfLiveness {

  private IpsecConfLiveness() {}

  /**
   * @param watched whether the agent watches a conn
   * @throws DiscoveryException when the file cannot be read
   */
  public static List<LivenessWarning> check(Path file, Predicate<String> watched) throws DiscoveryException {
    IpsecConfReader.Result read = new IpsecConfReader().read(file, file.toString());
    ConnResolver.Result resolved = ConnResolver.resolve(read.sections());
    List<LivenessWarning> warnings = new ArrayList<>();
    Map<String, List<ResolvedConn>> byPeers = new HashMap<>();
    for (ResolvedConn conn : resolved.conns()) {
      if (conn.template() && !conn.settings().containsKey("auto")) {
        continue; // a building block only: its settings are judged in the conns that pull it in
      }
      boolean initiator = setting(conn, "auto").map(a -> a.equals("start") || a.equals("route")).orElse(false);
      if (!initiator && !dpd(conn)) {
        warnings.add(warning(LivenessRule.NO_DPD, setting(conn, "dpdaction").isPresent() ? conn.settings().get("dpdaction").location() : conn.location(), conn,
            "no dead-peer detection on a responder (dpddelay, dpdaction): the daemon never notices that the initiator is"
                + " gone and keeps its SAs until they expire; set dpddelay=30s and dpdaction=clear"));
      }
      for (String key : List.of("dpdaction", "closeaction")) {
        if (setting(conn, key).filter(v -> v.equals("restart")).isPresent()) {
          warnings.add(warning(LivenessRule.TWO_REPAIRERS, conn.settings().get(key).location(), conn,
              key + "=restart: the daemon re-initiates by itself while the agent's ladder repairs the same tunnel,"
                  + " two repairers racing; set " + key + "=" + (key.equals("dpdaction") ? "clear" : "none")
                  + " and let the agent repair"));
        }
      }
      Optional<String> tries = setting(conn, "keyingtries");
      if (initiator && tries.isPresent() && !tries.get().equals("0") && !tries.get().equals("%forever")) {
        warnings.add(warning(LivenessRule.KEYINGTRIES, conn.settings().get("keyingtries").location(), conn,
            "keyingtries=" + tries.get() + " on an initiator: the daemon gives up after that many attempts and the"
                + " tunnel stays down until something initiates it again; set keyingtries=%forever"));
      }
      if (watched.test(conn.name()) && !initiator) {
        Location at = conn.settings().containsKey("auto") ? conn.settings().get("auto").location() : conn.location();
        warnings.add(warning(LivenessRule.NOT_STARTED, at, conn,
            "auto=" + setting(conn, "auto").orElse("ignore (the default)") + " on a tunnel the agent watches: after"
                + " the daemon starts, nothing brings it up until the agent's ladder does, rounds later; set auto=start"));
      }
      byPeers.computeIfAbsent(peers(conn), k -> new ArrayList<>()).add(conn);
    }
    uniqueIds(read.sections()).ifPresent(uniqueids -> {
      for (List<ResolvedConn> sharing : byPeers.values()) {
        if (sharing.size() > 1) {
          for (ResolvedConn conn : sharing) {
            warnings.add(warning(LivenessRule.UNIQUE_REPLACES, uniqueids.location(), conn,
                "uniqueids=" + uniqueids.value() + " with " + others(sharing, conn) + " between the same identities:"
                    + " a new IKE SA of one (a reauthentication, a repair) deletes the other's; set uniqueids=no"));
          }
        }
      }
    });
    return warnings;
  }

  /** strongSwan: dpdaction other than none (dpddelay defaults to 30s); Libreswan: dpddelay. */
  private static boolean dpd(ResolvedConn conn) {
    return setting(conn, "dpdaction").filter(a -> !a.equals("none")).isPresent() || setting(conn, "dpddelay").isPresent();
  }

  /**
   * The {@code uniqueids} of {@code config setup} if it replaces SAs: yes (the default in both
   * daemons, then reported at the section), replace or keep.
   */
  private static Optional<ConfSetting> uniqueIds(List<ConfSection> sections) {
    ConfSection setup = null;
    ConfSetting written = null;
    for (ConfSection section : sections) {
      if (section.kind() == ConfSection.Kind.CONFIG) {
        setup = section;
        for (ConfSetting s : section.settings()) {
          if (s.key().equals("uniqueids")) {
            written = s;
          }
        }
      }
    }
    if (written == null) {
      Location at = setup == null ? new Location("", 0) : setup.location();
      return Optional.of(new ConfSetting("uniqueids", "yes (the default)", at));
    }
    return Set.of("yes", "replace", "keep").contains(written.value().toLowerCase(Locale.ROOT)) ? Optional.of(written) : Optional.empty();
  }

  /** The two ends' identities, in either order: conns between the same two share the key. */
  private static String peers(ResolvedConn conn) {
    String left = setting(conn, "leftid").or(() -> setting(conn, "left")).orElse("%any");
    String right = setting(conn, "rightid").or(() -> setting(conn, "right")).orElse("%any");
    return left.compareTo(right) < 0 ? left + " " + right : right + " " + left;
  }

  private static String others(List<ResolvedConn> sharing, ResolvedConn conn) {
    return sharing.stream().filter(c -> c != conn).map(ResolvedConn::name).reduce((a, b) -> a + ", " + b).orElse("");
  }

  private static Optional<String> setting(ResolvedConn conn, String key) {
    return Optional.ofNullable(conn.settings().get(key)).map(ConfSetting::value).map(String::strip);
  }

  private static LivenessWarning warning(LivenessRule rule, Location at, ResolvedConn conn, String message) {
    return new LivenessWarning(rule, at.file(), at.line(), "conn " + conn.name(), message);
  }
}
