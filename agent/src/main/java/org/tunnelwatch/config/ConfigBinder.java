package org.tunnelwatch.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.tunnelwatch.remedy.SharingPolicy;
import org.quartz.CronExpression;
import org.tunnelwatch.remedy.RemedyAction;

/**
 * Turns the YAML tree into an {@link AgentConfig}, checking every rule and recording every
 * problem. The caller decides what to do with the problems; the binder never throws for bad
 * input.
 */
final class ConfigBinder {

  private static final Set<String> TOP_KEYS =
      Set.of(
          "listen", "state-dir", "dry-run", "backend", "uplinks", "defaults", "tunnels",
          "maintenance", "web-config", "discovery", "alerting", "probe-engine", "repairs");
  private static final Set<String> REPAIRS_KEYS =
      Set.of("interrupt-healthy-siblings", "interrupt-healthy-tunnels", "path-fault-hold");
  private static final Set<String> BACKEND_KEYS =
      Set.of(
          "type", "swanctl", "uri", "restart-service", "timeout", "ipsec", "libreswan-version",
          "strongswan-conf", "make-before-break");
  private static final Set<String> BACKEND_TYPES =
      Set.of(BackendConfig.AUTO, BackendConfig.VICI, BackendConfig.SWANCTL, BackendConfig.LIBRESWAN);
  private static final Set<String> LIBRESWAN_VERSIONS = Set.of("auto", "4", "5");
  private static final Set<String> MAKE_BEFORE_BREAK =
      Set.of(BackendConfig.AUTO, BackendConfig.YES, BackendConfig.NO);
  private static final Set<String> DISCOVERY_KEYS = Set.of("source", "ipsec-conf", "local");
  /** VICI list-conns becomes a second source when the VICI client is merged. */
  private static final Set<String> DISCOVERY_SOURCES = Set.of("ipsec-conf", "vici");
  private static final String AUTO = "auto";
  private static final Set<String> UPLINK_KEYS = Set.of("interface");
  private static final Set<String> ALERTING_KEYS =
      Set.of("alertmanagers", "webhooks", "resend-interval", "timeout", "gateway");
  private static final Set<String> MAINTENANCE_KEYS = Set.of("schedule", "action", "tunnel");
  private static final Set<String> TUNNEL_KEYS = union(TunnelFields.KEYS, Set.of("name"));

  /** Names that are safe in metric labels, file names and log lines. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
  /** Linux interface names: up to 15 bytes, no slash or white space. */
  private static final Pattern INTERFACE = Pattern.compile("[^/\\s:]{1,15}");
  private static final Pattern LISTEN = Pattern.compile("(?:\\[([0-9a-fA-F:.]+)\\]|([^:\\[\\]]*)):(\\d{1,5})");

  private static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  private static final Duration MAX_DURATION = Duration.ofDays(1);
  private static final Duration MIN_TIMEOUT = Duration.ofMillis(10);

  private final NodeReader read;
  private final TunnelDiscovery discovery;

  ConfigBinder(Problems problems, TunnelDiscovery discovery) {
    this.read = new NodeReader(problems);
    this.discovery = discovery;
  }

  /** Binds the tree; returns empty if anything was wrong (the problems say what). */
  Optional<AgentConfig> bind(YamlNode root) {
    Optional<YamlNode.Mapping> top = read.mapping(root, "", TOP_KEYS);
    if (top.isEmpty()) {
      return Optional.empty();
    }
    Map<String, YamlNode.Entry> keys = top.get().entries();
    ListenAddress listen =
        value(keys, "listen", "", this::listen)
            .orElseGet(() -> parseListen(BuiltinDefaults.LISTEN).orElseThrow());
    Path stateDir =
        value(keys, "state-dir", "", this::absolutePath).orElse(Path.of(BuiltinDefaults.STATE_DIR));
    boolean dryRun = value(keys, "dry-run", "", read::bool).orElse(false);
    BackendConfig backend = backend(keys.get("backend"));
    Map<String, UplinkConfig> uplinks = uplinks(keys.get("uplinks"));
    Set<String> declaredUplinks = declaredNames(keys.get("uplinks"));
    TunnelFields defaults =
        value(keys, "defaults", "", (node, path) -> tunnelFields(node, path, TunnelFields.KEYS))
            .orElse(TunnelFields.NONE);
    List<TunnelConfig> tunnels;
    List<String> tunnelNames;
    if (isAuto(keys.get("tunnels"))) {
      tunnels = autoTunnels(keys.get("tunnels"), keys.get("discovery"), backend, defaults, uplinks, declaredUplinks);
      tunnelNames = tunnels.stream().map(TunnelConfig::name).toList();
    } else {
      if (keys.containsKey("discovery")) {
        read.problem(keys.get("discovery").value(), "discovery", "only used with \"tunnels: auto\"");
      }
      tunnels = tunnels(keys.get("tunnels"), defaults, uplinks, declaredUplinks);
      tunnelNames = declaredTunnelNames(keys.get("tunnels"));
    }
    List<MaintenanceConfig> maintenance = maintenance(keys.get("maintenance"), tunnelNames);
    AlertingConfig alerting = alerting(keys.get("alerting"));
    Optional<Path> webConfig = value(keys, "web-config", "", this::absolutePath);
    WebConfig web = webConfig.flatMap(this::webConfig).orElse(WebConfig.none());
    ProbeEngine probeEngine = value(keys, "probe-engine", "", this::probeEngine).orElse(ProbeEngine.AUTO);
    SharingPolicy repairs = repairs(keys.get("repairs"));
    return Optional.of(
        new AgentConfig(listen, stateDir, dryRun, backend, uplinks, tunnels, maintenance, web, alerting, probeEngine, repairs));
  }

  // ---- top-level sections

  /** The web config file is a file of its own; its problems are reported under its own name. */
  private Optional<WebConfig> webConfig(Path file) {
    try {
      return Optional.of(new WebConfigLoader().load(file));
    } catch (InvalidConfigException e) {
      e.problems().forEach(read::foreign);
      return Optional.empty();
    }
  }

  private BackendConfig backend(YamlNode.Entry entry) {
    Map<String, YamlNode.Entry> keys =
        entry == null
            ? Map.of()
            : read.mapping(entry.value(), "backend", BACKEND_KEYS)
                .map(YamlNode.Mapping::entries)
                .orElse(Map.of());
    String type =
        value(keys, "type", "backend", (node, path) -> oneOf(node, path, BACKEND_TYPES))
            .orElse(BackendConfig.AUTO);
    Path swanctl =
        value(keys, "swanctl", "backend", this::absolutePath)
            .orElse(Path.of(BuiltinDefaults.SWANCTL));
    String uri = value(keys, "uri", "backend", this::socketUri).orElse(BuiltinDefaults.URI);
    if (type.equals(BackendConfig.VICI) && !uri.startsWith("unix://") && keys.containsKey("uri")) {
      // The agent speaks VICI over Unix sockets only (no TCP: charon's TCP socket has no
      // authentication, and a gateway has the Unix socket anyway).
      read.problem(
          keys.get("uri").value(),
          "backend.uri",
          "the vici backend needs a unix:///path socket, found \"" + uri + "\"");
    }
    String restart =
        value(keys, "restart-service", "backend", read::nonEmptyString)
            .orElse(type.equals("libreswan") ? BuiltinDefaults.LIBRESWAN_RESTART_SERVICE : BuiltinDefaults.RESTART_SERVICE);
    Duration timeout =
        value(
                keys,
                "timeout",
                "backend",
                (node, path) -> read.duration(node, path, Duration.ofSeconds(1), Duration.ofHours(1)))
            .orElse(BuiltinDefaults.BACKEND_TIMEOUT);
    Path ipsec = value(keys, "ipsec", "backend", this::absolutePath).orElse(Path.of(BuiltinDefaults.IPSEC));
    String libreswanVersion =
        value(keys, "libreswan-version", "backend", this::libreswanVersion)
            .orElse(BuiltinDefaults.LIBRESWAN_VERSION);
    Path strongswanConf =
        value(keys, "strongswan-conf", "backend", this::absolutePath)
            .orElse(Path.of(BuiltinDefaults.STRONGSWAN_CONF));
    String makeBeforeBreak =
        value(keys, "make-before-break", "backend", this::makeBeforeBreak)
            .orElse(BuiltinDefaults.MAKE_BEFORE_BREAK);
    return new BackendConfig(
        type, swanctl, uri, restart, timeout, ipsec, libreswanVersion, strongswanConf, makeBeforeBreak);
  }

  /** What repairs of shared objects (an IKE SA, the daemon) may cost; see {@link SharingPolicy}. */
  private SharingPolicy repairs(YamlNode.Entry entry) {
    if (entry == null) {
      return SharingPolicy.DEFAULT;
    }
    Map<String, YamlNode.Entry> keys =
        read.mapping(entry.value(), "repairs", REPAIRS_KEYS).map(YamlNode.Mapping::entries).orElse(Map.of());
    boolean siblings = value(keys, "interrupt-healthy-siblings", "repairs", read::bool).orElse(false);
    boolean tunnels = value(keys, "interrupt-healthy-tunnels", "repairs", read::bool).orElse(false);
    Duration hold =
        value(keys, "path-fault-hold", "repairs", (n, p) -> read.duration(n, p, Duration.ZERO, MAX_DURATION))
            .orElse(SharingPolicy.DEFAULT_PATH_FAULT_HOLD);
    return new SharingPolicy(siblings, tunnels, hold);
  }

  private AlertingConfig alerting(YamlNode.Entry entry) {
    if (entry == null) {
      return AlertingConfig.NONE;
    }
    Map<String, YamlNode.Entry> keys =
        read.mapping(entry.value(), "alerting", ALERTING_KEYS).map(YamlNode.Mapping::entries).orElse(Map.of());
    List<URI> alertmanagers = value(keys, "alertmanagers", "alerting", this::httpUrls).orElse(List.of());
    List<URI> webhooks = value(keys, "webhooks", "alerting", this::httpUrls).orElse(List.of());
    Duration resend =
        value(keys, "resend-interval", "alerting", (n, p) -> read.duration(n, p, Duration.ofSeconds(1), Duration.ofHours(1)))
            .orElse(BuiltinDefaults.RESEND_INTERVAL);
    Duration timeout =
        value(keys, "timeout", "alerting", (n, p) -> read.duration(n, p, Duration.ofMillis(100), Duration.ofMinutes(1)))
            .orElse(BuiltinDefaults.ALERT_TIMEOUT);
    Optional<String> gateway = value(keys, "gateway", "alerting", this::name);
    return new AlertingConfig(alertmanagers, webhooks, resend, timeout, gateway);
  }

  private Map<String, UplinkConfig> uplinks(YamlNode.Entry entry) {
    Map<String, UplinkConfig> uplinks = new LinkedHashMap<>();
    if (entry == null) {
      return uplinks;
    }
    if (!(entry.value() instanceof YamlNode.Mapping mapping)) {
      read.problem(entry.value(), "uplinks", "must be a mapping of uplink names, found " + entry.value().kind());
      return uplinks;
    }
    for (YamlNode.Entry uplink : mapping.entries().values()) {
      String path = Paths.child("uplinks", uplink.key());
      if (!NAME.matcher(uplink.key()).matches()) {
        read.problem(uplink.value(), path, "uplink name must be letters, digits, '.', '_' or '-'");
        continue;
      }
      read.mapping(uplink.value(), path, UPLINK_KEYS)
          .flatMap(m -> required(m, "interface", path, this::interfaceName))
          .ifPresent(ifname -> uplinks.put(uplink.key(), new UplinkConfig(uplink.key(), ifname)));
    }
    return uplinks;
  }

  private List<TunnelConfig> tunnels(
      YamlNode.Entry entry, TunnelFields defaults, Map<String, UplinkConfig> uplinks, Set<String> declaredUplinks) {
    List<TunnelConfig> tunnels = new ArrayList<>();
    if (entry == null) {
      return tunnels;
    }
    if (!(entry.value() instanceof YamlNode.Sequence sequence)) {
      read.problem(entry.value(), "tunnels", "must be a list of tunnels or auto, found " + describe(entry.value()));
      return tunnels;
    }
    Map<String, SourceLocation> firstByName = new HashMap<>();
    for (int i = 0; i < sequence.items().size(); i++) {
      YamlNode node = sequence.items().get(i);
      String path = Paths.index("tunnels", i);
      Optional<YamlNode.Mapping> mapping = read.mapping(node, path, TUNNEL_KEYS);
      if (mapping.isEmpty()) {
        continue;
      }
      Optional<String> name = required(mapping.get(), "name", path, this::name);
      TunnelFields own = fieldsOf(mapping.get(), path);
      if (name.isEmpty()) {
        continue;
      }
      YamlNode nameNode = mapping.get().entries().get("name").value();
      SourceLocation first = firstByName.putIfAbsent(name.get(), nameNode.location());
      if (first != null) {
        read.problem(
            nameNode,
            Paths.child(path, "name"),
            "duplicate tunnel name \"" + name.get() + "\" (first at line " + first.line() + ")");
        continue;
      }
      resolveTunnel(name.get(), path, mapping.get(), own.orElse(defaults), uplinks, declaredUplinks)
          .ifPresent(tunnels::add);
    }
    return tunnels;
  }

  private static boolean isAuto(YamlNode.Entry entry) {
    return entry != null
        && entry.value() instanceof YamlNode.Scalar s
        && s.type() == YamlNode.ScalarType.STRING
        && s.text().equals(AUTO);
  }

  private static String describe(YamlNode node) {
    return node instanceof YamlNode.Scalar s && s.type() != YamlNode.ScalarType.NULL && !s.text().isEmpty()
        ? s.kind() + " (" + s.shown() + ")"
        : node.kind();
  }

  /**
   * {@code tunnels: auto}: the tunnels discovery finds now, each checked as if it had been
   * written in the file, with the defaults applied. Problems point at the {@code auto}.
   */
  private List<TunnelConfig> autoTunnels(
      YamlNode.Entry entry,
      YamlNode.Entry discoveryEntry,
      BackendConfig backend,
      TunnelFields defaults,
      Map<String, UplinkConfig> uplinks,
      Set<String> declaredUplinks) {
    YamlNode at = entry.value();
    Optional<DiscoverySettings> settings = discoverySettings(discoveryEntry, backend);
    if (settings.isEmpty()) {
      return List.of();
    }
    List<DiscoveredTunnel> found;
    try {
      found = discovery.discover(settings.get());
    } catch (TunnelDiscovery.Failed e) {
      read.problem(at, "tunnels", "discovery failed: " + e.getMessage());
      return List.of();
    }
    if (found.isEmpty()) {
      read.problem(at, "tunnels", "discovery found no tunnel to watch in " + settings.get().ipsecConf() + " (run tunnelwatch discover to see why)");
      return List.of();
    }
    List<TunnelConfig> tunnels = new ArrayList<>();
    YamlNode.Mapping node = new YamlNode.Mapping(Map.of(), at.location());
    for (DiscoveredTunnel t : found) {
      String path = "tunnels[" + t.name() + "]";
      TunnelFields own =
          new TunnelFields(
              new Located<>(t.ike(), at.location(), Paths.child(path, "ike")),
              new Located<>(t.child(), at.location(), Paths.child(path, "child")),
              new Located<>(t.source(), at.location(), Paths.child(path, "source")),
              new Located<>(t.targets(), at.location(), Paths.child(path, "targets")),
              null, null, null, null, null, null, null, null, null, null, null, null,
              Set.of("ike", "child", "source", "targets"));
      if (tunnels.stream().anyMatch(c -> c.name().equals(t.name()))) {
        read.problem(at, path, "discovery found two tunnels named \"" + t.name() + "\"");
        continue;
      }
      resolveTunnel(t.name(), path, node, own.orElse(defaults), uplinks, declaredUplinks).ifPresent(tunnels::add);
    }
    return tunnels;
  }

  private Optional<DiscoverySettings> discoverySettings(YamlNode.Entry entry, BackendConfig backend) {
    Map<String, YamlNode.Entry> keys =
        entry == null
            ? Map.of()
            : read.mapping(entry.value(), "discovery", DISCOVERY_KEYS).map(YamlNode.Mapping::entries).orElse(null);
    if (keys == null) {
      return Optional.empty();
    }
    boolean valid = true;
    Optional<String> source = value(keys, "source", "discovery", (n, p) -> oneOf(n, p, DISCOVERY_SOURCES));
    valid &= source.isPresent() || !keys.containsKey("source");
    Optional<Path> file = value(keys, "ipsec-conf", "discovery", this::absolutePath);
    valid &= file.isPresent() || !keys.containsKey("ipsec-conf");
    Optional<String> local = value(keys, "local", "discovery", (n, p) -> oneOf(n, p, Set.of("left", "right")));
    valid &= local.isPresent() || !keys.containsKey("local");
    if (!valid) {
      return Optional.empty();
    }
    return Optional.of(
        new DiscoverySettings(
            source.orElse("ipsec-conf"), file.orElse(Path.of(BuiltinDefaults.IPSEC_CONF)), local, backend.uri()));
  }

  private List<MaintenanceConfig> maintenance(YamlNode.Entry entry, List<String> tunnelNames) {
    if (entry == null) {
      return List.of();
    }
    return read.list(
            entry.value(),
            "maintenance",
            (node, path) -> maintenanceJob(node, path, Set.copyOf(tunnelNames)))
        .orElse(List.of());
  }

  private Optional<MaintenanceConfig> maintenanceJob(
      YamlNode node, String path, Set<String> tunnelNames) {
    Optional<YamlNode.Mapping> mapping = read.mapping(node, path, MAINTENANCE_KEYS);
    if (mapping.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> schedule = required(mapping.get(), "schedule", path, this::cron);
    Optional<RemedyAction> action = required(mapping.get(), "action", path, this::action);
    Map<String, YamlNode.Entry> keys = mapping.get().entries();
    Optional<String> tunnel =
        value(keys, "tunnel", path, (n, p) -> knownName(n, p, tunnelNames, "tunnel", "tunnels"));
    if (schedule.isEmpty() || action.isEmpty() || (keys.containsKey("tunnel") && tunnel.isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(new MaintenanceConfig(schedule.get(), action.get(), tunnel));
  }

  // ---- tunnels

  private Optional<TunnelFields> tunnelFields(YamlNode node, String path, Set<String> allowed) {
    return read.mapping(node, path, allowed).map(mapping -> fieldsOf(mapping, path));
  }

  /** The tunnel keys of a mapping whose keys have been checked already. */
  private TunnelFields fieldsOf(YamlNode.Mapping mapping, String path) {
    Map<String, YamlNode.Entry> k = mapping.entries();
    return
        new TunnelFields(
            located(k, "ike", path, this::name),
            located(k, "child", path, this::name),
            located(k, "source", path, read::address),
            located(k, "targets", path, this::targets),
            located(k, "uplink", path, this::name),
            located(k, "interval", path, (n, p) -> read.duration(n, p, MIN_INTERVAL, MAX_DURATION)),
            located(k, "count", path, (n, p) -> read.integer(n, p, 1, 100)),
            located(k, "timeout", path, (n, p) -> read.duration(n, p, MIN_TIMEOUT, Duration.ofMinutes(1))),
            located(k, "degraded-loss", path, read::ratio),
            located(k, "degraded-rtt", path, (n, p) -> read.duration(n, p, Duration.ZERO, Duration.ofMinutes(1))),
            located(k, "down-after", path, (n, p) -> read.integer(n, p, 1, 1000)),
            located(k, "up-after", path, (n, p) -> read.integer(n, p, 1, 1000)),
            located(k, "window", path, (n, p) -> read.duration(n, p, MIN_INTERVAL, MAX_DURATION)),
            located(k, "ladder", path, this::ladder),
            located(k, "settle", path, (n, p) -> read.duration(n, p, Duration.ZERO, MAX_DURATION)),
            located(k, "max-actions-per-hour", path, (n, p) -> read.integer(n, p, 0, 3600)),
            Set.copyOf(k.keySet()));
  }

  /** Applies built-in defaults and checks the rules that involve several fields. */
  private Optional<TunnelConfig> resolveTunnel(
      String name,
      String path,
      YamlNode.Mapping node,
      TunnelFields fields,
      Map<String, UplinkConfig> uplinks,
      Set<String> declaredUplinks) {
    TunnelSettings builtin = BuiltinDefaults.SETTINGS;
    boolean valid = true;
    valid &= requireTunnelKey(fields, node, path, "child", fields.child(), "the CHILD_SA name");
    valid &= requireTunnelKey(fields, node, path, "source", fields.source(), "the local LAN address");
    valid &= requireTunnelKey(fields, node, path, "targets", fields.targets(), "hosts behind the remote gateway");
    // A key written with a bad value has been reported where it was read; the tunnel is invalid.
    for (String key : TunnelFields.KEYS) {
      valid &= !fields.wrote(key) || isSet(fields, key);
    }
    if (fields.uplink() != null && !uplinks.containsKey(fields.uplink().value())) {
      valid = false;
    }
    // An uplink that is written but invalid has been reported in uplinks already.
    if (fields.uplink() != null && !declaredUplinks.contains(fields.uplink().value())) {
      problemAt(
          fields.uplink(),
          "no uplink named \""
              + fields.uplink().value()
              + "\" in uplinks (defined: "
              + (uplinks.isEmpty() ? "none" : String.join(", ", new TreeSet<>(uplinks.keySet())))
              + ")");
      valid = false;
    }
    Duration interval = orDefault(fields.interval(), builtin.interval());
    Duration timeout = orDefault(fields.timeout(), builtin.timeout());
    Duration window = orDefault(fields.window(), builtin.window());
    int count = orDefault(fields.count(), builtin.count());
    Duration round = TunnelSettings.roundBudget(count, timeout);
    // Rules between fields are checked only on values that are all valid: a default standing in
    // for a rejected value would give a second, confusing message.
    boolean timingValid = allValid(fields, "interval", "timeout", "count");
    if (timingValid && round.compareTo(interval) >= 0) {
      Located<Duration> blame = fields.timeout() != null ? fields.timeout() : fields.interval();
      problemAt(
          blame != null ? blame : new Located<>(timeout, node.location(), path),
          "a round ("
              + count
              + " echoes "
              + Durations.format(TunnelSettings.ECHO_SPACING)
              + " apart, then a timeout of "
              + Durations.format(timeout)
              + ": "
              + Durations.format(round)
              + ") must be shorter than interval ("
              + Durations.format(interval)
              + ")");
      valid = false;
    }
    if (allValid(fields, "interval", "window") && window.compareTo(interval) < 0) {
      problemAt(
          fields.window() != null ? fields.window() : fields.interval(),
          "window (" + Durations.format(window) + ") must be at least one interval (" + Durations.format(interval) + ")");
      valid = false;
    }
    if (fields.source() != null && fields.targets() != null) {
      boolean sourceV4 = fields.source().value() instanceof Inet4Address;
      for (InetAddress target : fields.targets().value()) {
        if ((target instanceof Inet4Address) != sourceV4) {
          problemAt(
              fields.targets(),
              "target "
                  + IpAddresses.toText(target)
                  + " is not of the same address family as source "
                  + IpAddresses.toText(fields.source().value()));
          valid = false;
        }
      }
    }
    if (!valid) {
      return Optional.empty();
    }
    TunnelSettings settings =
        new TunnelSettings(
            interval,
            count,
            timeout,
            orDefault(fields.degradedLoss(), builtin.degradedLoss()),
            orDefault(fields.degradedRtt(), builtin.degradedRtt()),
            orDefault(fields.downAfter(), builtin.downAfter()),
            orDefault(fields.upAfter(), builtin.upAfter()),
            window,
            orDefault(fields.ladder(), builtin.ladder()),
            orDefault(fields.settle(), builtin.settle()),
            orDefault(fields.maxActionsPerHour(), builtin.maxActionsPerHour()));
    return Optional.of(
        new TunnelConfig(
            name,
            orDefault(fields.ike(), name),
            fields.child().value(),
            fields.source().value(),
            fields.targets().value(),
            Optional.ofNullable(fields.uplink()).map(Located::value),
            settings));
  }

  private boolean requireTunnelKey(
      TunnelFields fields, YamlNode.Mapping node, String path, String key, Located<?> value, String what) {
    if (fields.wrote(key)) {
      return value != null;
    }
    read.problem(node, Paths.child(path, key), "required (" + what + "; set it here or in defaults)");
    return false;
  }

  private static boolean allValid(TunnelFields fields, String... keys) {
    for (String key : keys) {
      if (fields.wrote(key) && !isSet(fields, key)) {
        return false;
      }
    }
    return true;
  }

  /** The keys of a mapping section, valid or not: names that exist for cross-references. */
  private static Set<String> declaredNames(YamlNode.Entry section) {
    return section != null && section.value() instanceof YamlNode.Mapping m ? Set.copyOf(m.entries().keySet()) : Set.of();
  }

  /** The names written in the tunnels list, whether or not the tunnels are valid. */
  private static List<String> declaredTunnelNames(YamlNode.Entry section) {
    List<String> names = new ArrayList<>();
    if (section != null && section.value() instanceof YamlNode.Sequence list) {
      for (YamlNode item : list.items()) {
        if (item instanceof YamlNode.Mapping m
            && m.entries().get("name") != null
            && m.entries().get("name").value() instanceof YamlNode.Scalar name) {
          names.add(name.text());
        }
      }
    }
    return names;
  }

  /** Whether the field for {@code key} holds a valid value. */
  private static boolean isSet(TunnelFields f, String key) {
    Located<?> value =
        switch (key) {
          case "ike" -> f.ike();
          case "child" -> f.child();
          case "source" -> f.source();
          case "targets" -> f.targets();
          case "uplink" -> f.uplink();
          case "interval" -> f.interval();
          case "count" -> f.count();
          case "timeout" -> f.timeout();
          case "degraded-loss" -> f.degradedLoss();
          case "degraded-rtt" -> f.degradedRtt();
          case "down-after" -> f.downAfter();
          case "up-after" -> f.upAfter();
          case "window" -> f.window();
          case "ladder" -> f.ladder();
          case "settle" -> f.settle();
          case "max-actions-per-hour" -> f.maxActionsPerHour();
          default -> throw new IllegalArgumentException("not a tunnel key: " + key);
        };
    return value != null;
  }

  private Optional<List<InetAddress>> targets(YamlNode node, String path) {
    return read.distinctList(node, path, read::address, IpAddresses::toText, "must name at least one target");
  }

  private Optional<List<RemedyAction>> ladder(YamlNode node, String path) {
    return read.distinctList(
        node, path, this::action, RemedyAction::configName, "must have at least one action (set dry-run to never act)");
  }

  // ---- scalars with rules of their own

  private Optional<RemedyAction> action(YamlNode node, String path) {
    List<String> names = new ArrayList<>();
    for (RemedyAction action : RemedyAction.values()) {
      names.add(action.configName());
    }
    return oneOf(node, path, Set.copyOf(names)).flatMap(RemedyAction::fromConfigName);
  }

  private Optional<ProbeEngine> probeEngine(YamlNode node, String path) {
    Set<String> names = new HashSet<>();
    for (ProbeEngine engine : ProbeEngine.values()) {
      names.add(engine.configName());
    }
    return oneOf(node, path, names).flatMap(ProbeEngine::fromConfigName);
  }

  private Optional<String> oneOf(YamlNode node, String path, Set<String> allowed) {
    Optional<String> text = read.string(node, path);
    if (text.isPresent() && !allowed.contains(text.get())) {
      read.problem(
          node,
          path,
          "must be one of " + String.join(", ", new TreeSet<>(allowed)) + ", found \"" + text.get() + "\"");
      return Optional.empty();
    }
    return text;
  }

  /** {@code 4} and {@code 5} are naturally written as numbers, {@code auto} as a word. */
  private Optional<String> libreswanVersion(YamlNode node, String path) {
    if (node instanceof YamlNode.Scalar s
        && (s.type() == YamlNode.ScalarType.STRING || s.type() == YamlNode.ScalarType.INTEGER)
        && LIBRESWAN_VERSIONS.contains(s.text())) {
      return Optional.of(s.text());
    }
    read.problem(node, path, "must be auto, 4 or 5, found " + describe(node));
    return Optional.empty();
  }

  /**
   * {@code yes} and {@code no} as strongswan.conf spells them (YAML 1.1 would call them booleans,
   * which the tree reader keeps as words); {@code true} and {@code false} are refused rather than
   * guessed at, like every other boolean where a word belongs.
   */
  private Optional<String> makeBeforeBreak(YamlNode node, String path) {
    if (node instanceof YamlNode.Scalar s
        && s.type() == YamlNode.ScalarType.STRING
        && MAKE_BEFORE_BREAK.contains(s.text())) {
      return Optional.of(s.text());
    }
    read.problem(node, path, "must be auto, yes or no, found " + describe(node));
    return Optional.empty();
  }

  private Optional<String> knownName(
      YamlNode node, String path, Set<String> known, String what, String section) {
    Optional<String> name = read.string(node, path);
    if (name.isPresent() && !known.contains(name.get())) {
      read.problem(node, path, "no " + what + " named \"" + name.get() + "\" in " + section);
      return Optional.empty();
    }
    return name;
  }

  private Optional<String> name(YamlNode node, String path) {
    Optional<String> name = read.string(node, path);
    if (name.isPresent() && !NAME.matcher(name.get()).matches()) {
      read.problem(
          node,
          path,
          "must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit, found \""
              + name.get()
              + "\"");
      return Optional.empty();
    }
    return name;
  }

  private Optional<String> interfaceName(YamlNode node, String path) {
    Optional<String> name = read.string(node, path);
    if (name.isPresent() && !INTERFACE.matcher(name.get()).matches()) {
      read.problem(node, path, "must be a network interface name (1 to 15 characters, no '/', ':' or spaces), found \"" + name.get() + "\"");
      return Optional.empty();
    }
    return name;
  }

  private Optional<Path> absolutePath(YamlNode node, String path) {
    Optional<String> text = read.nonEmptyString(node, path);
    if (text.isPresent() && !text.get().startsWith("/")) {
      read.problem(node, path, "must be an absolute path, found \"" + text.get() + "\"");
      return Optional.empty();
    }
    return text.map(Path::of);
  }

  private Optional<String> socketUri(YamlNode node, String path) {
    Optional<String> text = read.string(node, path);
    if (text.isPresent()
        && !(text.get().matches("unix:///.+") || text.get().matches("tcp://[^/]+:\\d+"))) {
      read.problem(node, path, "must be unix:///path/to/socket or tcp://host:port, found \"" + text.get() + "\"");
      return Optional.empty();
    }
    return text;
  }

  private Optional<List<URI>> httpUrls(YamlNode node, String path) {
    Optional<List<URI>> urls = read.list(node, path, this::httpUrl);
    if (urls.isPresent() && new HashSet<>(urls.get()).size() != urls.get().size()) {
      read.problem(node, path, "names the same URL twice");
      return Optional.empty();
    }
    return urls;
  }

  /**
   * An http or https URL with a host. Credentials in the URL are refused: the URL appears in
   * logs and in a metric label.
   */
  private Optional<URI> httpUrl(YamlNode node, String path) {
    Optional<String> text = read.string(node, path);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(text.get());
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null
        || uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      read.problem(node, path, "must be an http:// or https:// URL with a host and no query, found \"" + text.get() + "\"");
      return Optional.empty();
    }
    if (uri.getRawUserInfo() != null) {
      read.problem(node, path, "must not contain credentials (user:password@): the URL appears in logs and metrics");
      return Optional.empty();
    }
    return Optional.of(uri);
  }

  /** Where the spacing of a schedule's firings is checked from: fixed, so that a check gives the same answer on any day. */
  private static final Instant CRON_CHECK_FROM = Instant.parse("2026-01-04T00:00:00Z");

  private Optional<String> cron(YamlNode node, String path) {
    Optional<String> text = read.string(node, path);
    if (text.isEmpty()) {
      return text;
    }
    try {
      CronExpression cron = new CronExpression(text.get());
      Optional<Duration> gap = CronSpacing.shortestGap(cron, CRON_CHECK_FROM, CronSpacing.MIN_MAINTENANCE_SPACING);
      if (gap.isPresent() && gap.get().compareTo(CronSpacing.MIN_MAINTENANCE_SPACING) < 0) {
        read.problem(
            node,
            path,
            "must not fire more often than every " + Durations.format(CronSpacing.MIN_MAINTENANCE_SPACING)
                + " (a maintenance action interrupts tunnels), found \"" + text.get() + "\", which fires "
                + Durations.format(gap.get()) + " apart");
        return Optional.empty();
      }
      return text;
    } catch (ParseException e) {
      read.problem(
          node,
          path,
          "must be a Quartz cron expression (seconds minutes hours day-of-month month day-of-week), "
              + e.getMessage()
              + ", found \""
              + text.get()
              + "\"");
      return Optional.empty();
    }
  }

  private Optional<ListenAddress> listen(YamlNode node, String path) {
    Optional<String> text = read.string(node, path);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<ListenAddress> address = parseListen(text.get());
    if (address.isEmpty()) {
      read.problem(node, path, "must be host:port with an IP address (or nothing) before the colon and a port from 1 to 65535, found \"" + text.get() + "\"");
    }
    return address;
  }

  private static Optional<ListenAddress> parseListen(String text) {
    var m = LISTEN.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    String host = m.group(1) != null ? m.group(1) : m.group(2);
    int port = Integer.parseInt(m.group(3));
    if (port < 1 || port > 65535) {
      return Optional.empty();
    }
    if (!host.isEmpty() && !host.equals("localhost") && IpAddresses.parseLiteral(host).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ListenAddress(host, port));
  }

  // ---- plumbing

  private <T> Optional<T> value(
      Map<String, YamlNode.Entry> keys,
      String key,
      String parent,
      BiFunction<YamlNode, String, Optional<T>> reader) {
    YamlNode.Entry entry = keys.get(key);
    return entry == null ? Optional.empty() : reader.apply(entry.value(), Paths.child(parent, key));
  }

  private <T> Located<T> located(
      Map<String, YamlNode.Entry> keys,
      String key,
      String parent,
      BiFunction<YamlNode, String, Optional<T>> reader) {
    YamlNode.Entry entry = keys.get(key);
    if (entry == null) {
      return null;
    }
    String path = Paths.child(parent, key);
    return reader
        .apply(entry.value(), path)
        .map(v -> new Located<>(v, entry.value().location(), path))
        .orElse(null);
  }

  private <T> Optional<T> required(
      YamlNode.Mapping mapping,
      String key,
      String parent,
      BiFunction<YamlNode, String, Optional<T>> reader) {
    YamlNode.Entry entry = mapping.entries().get(key);
    if (entry == null) {
      read.problem(mapping, Paths.child(parent, key), "required");
      return Optional.empty();
    }
    return reader.apply(entry.value(), Paths.child(parent, key));
  }

  private void problemAt(Located<?> where, String message) {
    read.problem(new YamlNode.Scalar("", YamlNode.ScalarType.NULL, where.location()), where.path(), message);
  }

  private static <T> T orDefault(Located<T> value, T fallback) {
    return value != null ? value.value() : fallback;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
