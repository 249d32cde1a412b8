package org.tunnelwatch.lint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.tunnelwatch.ipsec.strongswan.MakeBeforeBreak;
import org.tunnelwatch.ipsec.strongswan.Setting;
import org.tunnelwatch.ipsec.strongswan.StrongswanSettings;
import org.tunnelwatch.ipsec.strongswan.StrongswanSettingsException;
import org.tunnelwatch.ipsec.strongswan.WrittenSection;

/**
 * The liveness rules ({@link LivenessRule}) applied to a swanctl.conf, read with its includes and
 * section references as swanctl reads it. A connection is an initiator when one of its children
 * has {@code start_action} start or trap, else a responder. Pure apart from reading the files.
 */
public final class SwanctlLiveness {

  private final StrongswanSettings conf;
  private final BiPredicate<String, String> watched;
  private final List<LivenessWarning> warnings = new ArrayList<>();

  private SwanctlLiveness(StrongswanSettings conf, BiPredicate<String, String> watched) {
    this.conf = conf;
    this.watched = watched;
  }

  /**
   * @param watched whether the agent watches a connection's child (connection, child)
   * @throws StrongswanSettingsException when the file cannot be read or is not valid
   */
  public static List<LivenessWarning> check(Path swanctlConf, BiPredicate<String, String> watched)
      throws StrongswanSettingsException {
    SwanctlLiveness lint = new SwanctlLiveness(StrongswanSettings.load(swanctlConf), watched);
    lint.connections();
    return List.copyOf(lint.warnings);
  }

  /**
   * The reauthentication rule, from strongswan.conf: make-before-break off makes charon's own
   * reauthentications and the agent's reauth-ike rung delete the SAs before new ones are up.
   *
   * @throws StrongswanSettingsException when the file cannot be read or is not valid
   */
  public static Optional<LivenessWarning> makeBeforeBreak(Path strongswanConf) throws StrongswanSettingsException {
    Optional<Setting> setting = MakeBeforeBreak.settingIn(StrongswanSettings.load(strongswanConf));
    if (setting.isPresent() && Setting.parseBoolean(setting.get().value()).orElse(false)) {
      return Optional.empty();
    }
    String said =
        setting.map(s -> s.key() + " = " + s.value())
            .orElse("make_before_break is not set (strongSwan before 6.0, as Debian 12's 5.9.8, defaults to no)");
    return Optional.of(
        new LivenessWarning(
            LivenessRule.BREAK_BEFORE_MAKE,
            setting.map(s -> s.file().toString()).orElse(strongswanConf.toString()),
            setting.map(Setting::line).orElse(0),
            "",
            said + ": a reauthentication (reauth_time, or the agent's reauth-ike rung) deletes the IKE SA and its"
                + " CHILD SAs before the new ones are up, an outage like a restart; set charon.make_before_break = yes"));
  }

  private void connections() throws StrongswanSettingsException {
    Map<String, List<WrittenSection>> byPeer = new HashMap<>();
    for (WrittenSection conn : conf.sections("connections")) {
      List<WrittenSection> children = conf.sections(conn.key() + ".children");
      boolean initiator = false;
      for (WrittenSection child : children) {
        initiator |= starts(child);
      }
      if (!initiator) {
        Optional<Setting> dpd = get(conn, "dpd_delay");
        if (dpd.isEmpty() || isZero(dpd.get().value())) {
          warn(LivenessRule.NO_DPD, dpd, conn, conn.name(),
              "no dpd_delay on a responder: charon never notices that the initiator is gone and keeps its SAs"
                  + " until they expire, so a restarted initiator may meet stale SAs here; set dpd_delay = 30s");
        }
      }
      if (initiator) {
        Optional<Setting> tries = get(conn, "keyingtries");
        if (tries.isEmpty() || !tries.get().value().strip().equals("0")) {
          warn(LivenessRule.KEYINGTRIES, tries, conn, conn.name(),
              "keyingtries = " + tries.map(Setting::value).orElse("1 (the default)")
                  + " on an initiator: charon gives up after that many attempts and the tunnel stays down until"
                  + " something initiates it again; set keyingtries = 0 (forever)");
        }
      }
      for (WrittenSection child : children) {
        childRules(conn, child);
      }
      if (unique(conn).isPresent()) {
        byPeer.computeIfAbsent(peer(conn), k -> new ArrayList<>()).add(conn);
      }
    }
    for (List<WrittenSection> sharing : byPeer.values()) {
      if (sharing.size() > 1) {
        for (WrittenSection conn : sharing) {
          Setting unique = unique(conn).orElseThrow();
          warn(LivenessRule.UNIQUE_REPLACES, Optional.of(unique), conn, conn.name(),
              "unique = " + unique.value() + " with " + others(sharing, conn)
                  + " for the same peer: a new IKE SA of one (a reauthentication, a repair) deletes the other's"
                  + " with all its CHILD SAs; set unique = no");
        }
      }
    }
  }

  private void childRules(WrittenSection conn, WrittenSection child) throws StrongswanSettingsException {
    String name = conn.name() + "/" + child.name();
    for (String key : List.of("dpd_action", "close_action")) {
      Optional<Setting> action = get(child, key);
      if (action.isPresent() && restarts(action.get().value())) {
        warn(LivenessRule.TWO_REPAIRERS, action, child, name,
            key + " = " + action.get().value() + ": charon re-initiates by itself while the agent's ladder repairs"
                + " the same tunnel, two repairers racing (duplicate SAs, actions counted against the wrong cause);"
                + " set " + key + " = " + (key.equals("dpd_action") ? "clear" : "none") + " and let the agent repair");
      }
    }
    if (watched.test(conn.name(), child.name()) && !starts(child)) {
      Optional<Setting> start = get(child, "start_action");
      warn(LivenessRule.NOT_STARTED, start, child, name,
          "start_action = " + start.map(Setting::value).orElse("none (the default)")
              + " on a tunnel the agent watches: after charon starts, nothing brings it up until the agent's"
              + " ladder does, rounds later; set start_action = start (or trap)");
    }
  }

  private boolean starts(WrittenSection child) throws StrongswanSettingsException {
    Optional<Setting> start = get(child, "start_action");
    return start.map(s -> s.value().contains("start") || s.value().contains("trap")).orElse(false);
  }

  private Optional<Setting> unique(WrittenSection conn) throws StrongswanSettingsException {
    return get(conn, "unique").filter(s -> s.value().equals("replace") || s.value().equals("keep"));
  }

  /** The peer's identity: its remote.id, else its addresses. */
  private String peer(WrittenSection conn) {
    try {
      Optional<Setting> id = get(conn, "remote.id").or(() -> quietly(conn, "remote_addrs"));
      return id.map(Setting::value).orElse("%any");
    } catch (StrongswanSettingsException e) {
      return conn.name(); // references that run in circles: its own peer
    }
  }

  private static String others(List<WrittenSection> sharing, WrittenSection conn) {
    return sharing.stream().filter(c -> c != conn).map(WrittenSection::name).reduce((a, b) -> a + ", " + b).orElse("");
  }

  private Optional<Setting> get(WrittenSection section, String key) throws StrongswanSettingsException {
    return conf.get(section.key() + "." + key);
  }

  private static boolean restarts(String action) {
    String a = action.toLowerCase(Locale.ROOT);
    return a.equals("restart") || a.equals("start");
  }

  private Optional<Setting> quietly(WrittenSection section, String key) {
    try {
      return get(section, key);
    } catch (StrongswanSettingsException e) {
      return Optional.empty();
    }
  }

  private static boolean isZero(String duration) {
    return duration.strip().matches("0+[smhd]?");
  }

  /** A warning at the setting if there is one, else at the section it is missing from. */
  private void warn(LivenessRule rule, Optional<Setting> at, WrittenSection section, String about, String message) {
    String file = at.map(s -> s.file().toString()).orElse(section.file() == null ? "" : section.file().toString());
    int line = at.map(Setting::line).orElse(section.line());
    warnings.add(new LivenessWarning(rule, file, line, about, message));
  }
}
