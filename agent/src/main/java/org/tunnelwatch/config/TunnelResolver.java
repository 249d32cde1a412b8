package org.tunnelwatch.config;

import static org.tunnelwatch.config.TunnelKeys.CHILD;
import static org.tunnelwatch.config.TunnelKeys.COUNT;
import static org.tunnelwatch.config.TunnelKeys.IKE;
import static org.tunnelwatch.config.TunnelKeys.INTERVAL;
import static org.tunnelwatch.config.TunnelKeys.SOURCE;
import static org.tunnelwatch.config.TunnelKeys.TARGETS;
import static org.tunnelwatch.config.TunnelKeys.TIMEOUT;
import static org.tunnelwatch.config.TunnelKeys.UPLINK;
import static org.tunnelwatch.config.TunnelKeys.WINDOW;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes one tunnel's configuration from what it wrote and what {@code defaults} wrote: applies
 * the built-in defaults, requires the keys without one, and checks the rules between keys.
 */
final class TunnelResolver {

  private final NodeReader read;
  private final TunnelFields defaults;
  private final Map<String, UplinkConfig> uplinks;
  private final Set<String> declaredUplinks;

  /**
   * @param uplinks the valid uplinks
   * @param declaredUplinks every uplink name written, valid or not: a tunnel naming an invalid
   *     one is not reported again
   */
  TunnelResolver(NodeReader read, TunnelFields defaults, Map<String, UplinkConfig> uplinks, Set<String> declaredUplinks) {
    this.read = read;
    this.defaults = defaults;
    this.uplinks = uplinks;
    this.declaredUplinks = declaredUplinks;
  }

  /** The tunnel, or empty if anything about it was wrong (the problems say what). */
  Optional<TunnelConfig> resolve(String name, String path, YamlNode.Mapping node, TunnelFields own) {
    TunnelFields fields = own.orElse(defaults);
    boolean valid = true;
    valid &= required(fields, node, path, CHILD, "the CHILD_SA name");
    valid &= required(fields, node, path, SOURCE, "the local LAN address");
    valid &= required(fields, node, path, TARGETS, "hosts behind the remote gateway");
    // A key written with a bad value has been reported where it was read; the tunnel is invalid.
    for (TunnelKey<?> key : TunnelKeys.ALL) {
      valid &= !fields.refused(key);
    }
    valid &= uplinkKnown(fields);
    TunnelSettings.Builder builder = TunnelSettings.builder();
    fields.applyTo(builder);
    TunnelSettings settings = builder.build();
    valid &= roundFitsInterval(fields, settings, node, path);
    valid &= windowHoldsInterval(fields, settings);
    valid &= sameFamily(fields);
    if (!valid) {
      return Optional.empty();
    }
    return Optional.of(
        new TunnelConfig(
            name,
            fields.get(IKE).map(Located::value).orElse(name),
            fields.get(CHILD).orElseThrow().value(),
            fields.get(SOURCE).orElseThrow().value(),
            fields.get(TARGETS).orElseThrow().value(),
            fields.get(UPLINK).map(Located::value),
            settings,
            fields.get(TunnelKeys.TRAFFIC_CHILD).map(Located::value)));
  }

  private boolean required(TunnelFields fields, YamlNode.Mapping node, String path, TunnelKey<?> key, String what) {
    if (fields.wrote(key)) {
      return fields.get(key).isPresent();
    }
    read.problem(node, Paths.child(path, key.name()), "required (" + what + "; set it here or in defaults)");
    return false;
  }

  private boolean uplinkKnown(TunnelFields fields) {
    Optional<Located<String>> uplink = fields.get(UPLINK);
    if (uplink.isEmpty() || uplinks.containsKey(uplink.get().value())) {
      return true;
    }
    // An uplink that is written but invalid has been reported in uplinks already.
    if (!declaredUplinks.contains(uplink.get().value())) {
      problemAt(
          uplink.get(),
          "no uplink named \""
              + uplink.get().value()
              + "\" in uplinks (defined: "
              + (uplinks.isEmpty() ? "none" : String.join(", ", new TreeSet<>(uplinks.keySet())))
              + ")");
    }
    return false;
  }

  /*
   * Rules between keys are checked only on values that are all valid: a default standing in for
   * a refused value would give a second, confusing message.
   */

  private boolean roundFitsInterval(TunnelFields fields, TunnelSettings settings, YamlNode.Mapping node, String path) {
    if (anyRefused(fields, INTERVAL, TIMEOUT, COUNT)) {
      return true;
    }
    Duration round = settings.roundBudget();
    if (round.compareTo(settings.interval()) < 0) {
      return true;
    }
    Located<Duration> blame =
        fields.get(TIMEOUT)
            .or(() -> fields.get(INTERVAL))
            .orElseGet(() -> new Located<>(settings.timeout(), node.location(), path));
    problemAt(
        blame,
        "a round ("
            + settings.count()
            + " echoes "
            + Durations.format(TunnelSettings.ECHO_SPACING)
            + " apart, then a timeout of "
            + Durations.format(settings.timeout())
            + ": "
            + Durations.format(round)
            + ") must be shorter than interval ("
            + Durations.format(settings.interval())
            + ")");
    return false;
  }

  private boolean windowHoldsInterval(TunnelFields fields, TunnelSettings settings) {
    if (anyRefused(fields, INTERVAL, WINDOW) || settings.window().compareTo(settings.interval()) >= 0) {
      return true;
    }
    // Neither written: the built-in defaults satisfy the rule, so one of them was written.
    problemAt(
        fields.get(WINDOW).or(() -> fields.get(INTERVAL)).orElseThrow(),
        "window (" + Durations.format(settings.window()) + ") must be at least one interval ("
            + Durations.format(settings.interval()) + ")");
    return false;
  }

  private boolean sameFamily(TunnelFields fields) {
    Optional<Located<InetAddress>> source = fields.get(SOURCE);
    Optional<Located<java.util.List<InetAddress>>> targets = fields.get(TARGETS);
    if (source.isEmpty() || targets.isEmpty()) {
      return true;
    }
    boolean valid = true;
    boolean sourceV4 = source.get().value() instanceof Inet4Address;
    for (InetAddress target : targets.get().value()) {
      if ((target instanceof Inet4Address) != sourceV4) {
        problemAt(
            targets.get(),
            "target "
                + IpAddresses.toText(target)
                + " is not of the same address family as source "
                + IpAddresses.toText(source.get().value()));
        valid = false;
      }
    }
    return valid;
  }

  private static boolean anyRefused(TunnelFields fields, TunnelKey<?>... keys) {
    for (TunnelKey<?> key : keys) {
      if (fields.refused(key)) {
        return true;
      }
    }
    return false;
  }

  private void problemAt(Located<?> where, String message) {
    read.problem(new YamlNode.Scalar("", YamlNode.ScalarType.NULL, where.location()), where.path(), message);
  }
}
