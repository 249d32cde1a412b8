package org.tunnelwatch.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.tunnelwatch.probe.ProbeTarget;
import org.tunnelwatch.remedy.RemedyAction;
import org.tunnelwatch.remedy.SharingPolicy;

/**
 * Turns the YAML tree into an {@link AgentConfig}, checking every rule and recording every
 * problem. The caller decides what to do with the problems; the binder never throws for bad
 * input.
 */
final class ConfigBinder {

  private static final Set<String> TOP_KEYS =
      Set.of(
          "listen", "state-dir", "dry-run", "backend", "uplinks", "defaults", "tunnels",
          "maintenance", "web-config", "discovery", "alerting", "probe-engine", "repairs", "hooks", "failover");
  private static final Set<String> REPAIRS_KEYS =
      Set.of("interrupt-healthy-siblings", "interrupt-healthy-tunnels", "path-fault-hold");
  private static final Set<String> BACKEND_KEYS =
      Set.of(
          "type", "swanctl", "uri", "restart-service", "timeout", "ipsec", "libreswan-version",
          "strongswan-conf", "make-before-break");
  private static final Set<String> DISCOVERY_KEYS = Set.of("source", "ipsec-conf", "local");
  private static final String AUTO = "auto";
  private static final Set<String> UPLINK_KEYS = Set.of("interface");
  private static final Set<String> ALERTING_KEYS =
      Set.of("alertmanagers", "webhooks", "resend-interval", "timeout", "gateway", "hold");
  private static final Set<String> HOLD_KEYS = Set.of("tunnel-down", "ladder-exhausted", "uplink-down");
  private static final Set<String> MAINTENANCE_KEYS = Set.of("schedule", "action", "tunnel");
  private static final Set<String> HOOK_KEYS = Set.of("name", "command", "shell", "on", "tunnels", "timeout");
  private static final Duration MIN_HOOK_TIMEOUT = Duration.ofMillis(100);
  private static final Duration MAX_HOOK_TIMEOUT = Duration.ofMinutes(10);
  private static final Set<String> TUNNEL_KEYS = union(TunnelKeys.NAMES, Set.of("name"));

  private final NodeReader read;
  private final ConfigValues values;
  private final TunnelDiscovery discovery;
  private final ConfigOverrides overrides;

  ConfigBinder(Problems problems, TunnelDiscovery discovery, ConfigOverrides overrides) {
    this.read = new NodeReader(problems);
    this.values = new ConfigValues(read);
    this.discovery = discovery;
    this.overrides = overrides;
  }

  /** Binds the tree; returns empty if anything was wrong (the problems say what). */
  Optional<AgentConfig> bind(YamlNode root) {
    Optional<YamlNode.Mapping> top = read.mapping(root, "", TOP_KEYS);
    if (top.isEmpty()) {
      return Optional.empty();
    }
    Map<String, YamlNode.Entry> keys = top.get().entries();
    ListenAddress listenInFile =
        value(keys, "listen", "", values::listen)
            .orElseGet(() -> ConfigValues.parseListen(BuiltinDefaults.LISTEN).orElseThrow());
    ListenAddress listen = overrides.listen().map(this::listenFlag).orElse(listenInFile);
    Path stateDir =
        value(keys, "state-dir", "", values::absolutePath).orElse(Path.of(BuiltinDefaults.STATE_DIR));
    boolean dryRun = value(keys, "dry-run", "", read::bool).orElse(false);
    BackendConfig backend = backend(keys.get("backend"));
    Map<String, UplinkConfig> uplinks = uplinks(keys.get("uplinks"));
    Set<String> declaredUplinks = declaredNames(keys.get("uplinks"));
    TunnelFields defaults =
        value(keys, "defaults", "", (node, path) -> read.mapping(node, path, TunnelKeys.NAMES).map(m -> tunnelFields(m, path)))
            .orElse(TunnelFields.NONE);
    TunnelResolver resolver = new TunnelResolver(read, defaults, uplinks, declaredUplinks);
    List<TunnelConfig> tunnels;
    List<String> tunnelNames;
    if (isAuto(keys.get("tunnels"))) {
      tunnels = autoTunnels(keys.get("tunnels"), keys.get("discovery"), backend, resolver);
      tunnelNames = tunnels.stream().map(TunnelConfig::name).toList();
    } else {
      if (keys.containsKey("discovery")) {
        read.problem(keys.get("discovery").value(), "discovery", "only used with \"tunnels: auto\"");
      }
      tunnels = tunnels(keys.get("tunnels"), resolver);
      tunnelNames = declaredTunnelNames(keys.get("tunnels"));
    }
    List<MaintenanceConfig> maintenance = maintenance(keys.get("maintenance"), tunnelNames);
    AlertingConfig alerting = alerting(keys.get("alerting"));
    Optional<Path> webConfigInFile = value(keys, "web-config", "", values::absolutePath);
    Optional<Path> webConfig = overrides.webConfigFile().or(() -> webConfigInFile);
    WebConfig web = webConfig.flatMap(this::webConfig).orElse(WebConfig.none());
    ProbeEngine probeEngine = value(keys, "probe-engine", "", (n, p) -> read.word(n, p, ProbeEngine.class)).orElse(ProbeEngine.AUTO);
    SharingPolicy repairs = repairs(keys.get("repairs"));
    List<HookConfig> hooks = hooks(keys.get("hooks"), tunnelNames);
    Map<String, TunnelConfig> tunnelsByName = new LinkedHashMap<>();
    tunnels.forEach(t -> tunnelsByName.put(t.name(), t));
    List<FailoverGroupConfig> failover =
        new FailoverGroupReader(read, values).read(keys.get("failover"), Set.copyOf(tunnelNames), tunnelsByName);
    return Optional.of(
        new AgentConfig(
            listen, stateDir, dryRun, backend, uplinks, tunnels, maintenance, web, alerting, probeEngine, repairs, hooks,
            failover));
  }

  // ---- top-level sections

  /** The listen address given on the command line; a problem is reported under the flag's name. */
  private ListenAddress listenFlag(String text) {
    Optional<ListenAddress> address = ConfigValues.parseListen(text);
    if (address.isEmpty()) {
      read.foreign(new ConfigProblem(ConfigOverrides.LISTEN_FLAG, SourceLocation.UNKNOWN, "", ConfigValues.listenRule(text)));
      return new ListenAddress("", 1); // never used: the problem fails the load
    }
    return address.get();
  }

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
    BackendType type =
        value(keys, "type", "backend", (node, path) -> read.word(node, path, BackendType.class))
            .orElse(BackendType.AUTO);
    Path swanctl =
        value(keys, "swanctl", "backend", values::absolutePath)
            .orElse(Path.of(BuiltinDefaults.SWANCTL));
    String uri = value(keys, "uri", "backend", values::socketUri).orElse(BuiltinDefaults.URI);
    if (type == BackendType.VICI && !uri.startsWith("unix://") && keys.containsKey("uri")) {
      // The agent speaks VICI over Unix sockets only (no TCP: charon's TCP socket has no
      // authentication, and a gateway has the Unix socket anyway).
      read.problem(
          keys.get("uri").value(),
          "backend.uri",
          "the vici backend needs a unix:///path socket, found \"" + uri + "\"");
    }
    String restart =
        value(keys, "restart-service", "backend", read::nonEmptyString)
            .orElse(type == BackendType.LIBRESWAN ? BuiltinDefaults.LIBRESWAN_RESTART_SERVICE : BuiltinDefaults.RESTART_SERVICE);
    Duration timeout =
        value(
                keys,
                "timeout",
                "backend",
                (node, path) -> read.duration(node, path, Duration.ofSeconds(1), Duration.ofHours(1)))
            .orElse(BuiltinDefaults.BACKEND_TIMEOUT);
    Path ipsec = value(keys, "ipsec", "backend", values::absolutePath).orElse(Path.of(BuiltinDefaults.IPSEC));
    LibreswanVersion libreswanVersion =
        value(keys, "libreswan-version", "backend", values::libreswanVersion)
            .orElse(BuiltinDefaults.LIBRESWAN_VERSION);
    Path strongswanConf =
        value(keys, "strongswan-conf", "backend", values::absolutePath)
            .orElse(Path.of(BuiltinDefaults.STRONGSWAN_CONF));
    MakeBeforeBreakSetting makeBeforeBreak =
        value(keys, "make-before-break", "backend", values::makeBeforeBreak)
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
        value(keys, "path-fault-hold", "repairs", (n, p) -> read.duration(n, p, Duration.ZERO, TunnelKeys.MAX_DURATION))
            .orElse(SharingPolicy.DEFAULT_PATH_FAULT_HOLD);
    return new SharingPolicy(siblings, tunnels, hold);
  }

  private AlertingConfig alerting(YamlNode.Entry entry) {
    if (entry == null) {
      return AlertingConfig.NONE;
    }
    Map<String, YamlNode.Entry> keys =
        read.mapping(entry.value(), "alerting", ALERTING_KEYS).map(YamlNode.Mapping::entries).orElse(Map.of());
    List<URI> alertmanagers = value(keys, "alertmanagers", "alerting", values::httpUrls).orElse(List.of());
    List<URI> webhooks = value(keys, "webhooks", "alerting", values::httpUrls).orElse(List.of());
    Duration resend =
        value(keys, "resend-interval", "alerting", (n, p) -> read.duration(n, p, Duration.ofSeconds(1), Duration.ofHours(1)))
            .orElse(BuiltinDefaults.RESEND_INTERVAL);
    Duration timeout =
        value(keys, "timeout", "alerting", (n, p) -> read.duration(n, p, Duration.ofMillis(100), Duration.ofMinutes(1)))
            .orElse(BuiltinDefaults.ALERT_TIMEOUT);
    Optional<String> gateway = value(keys, "gateway", "alerting", values::name);
    AlertHolds holds = holds(keys.get("hold"));
    return new AlertingConfig(alertmanagers, webhooks, resend, timeout, gateway, holds);
  }

  private AlertHolds holds(YamlNode.Entry entry) {
    if (entry == null) {
      return AlertHolds.DEFAULT;
    }
    Map<String, YamlNode.Entry> keys =
        read.mapping(entry.value(), "alerting.hold", HOLD_KEYS).map(YamlNode.Mapping::entries).orElse(Map.of());
    AlertHolds d = AlertHolds.DEFAULT;
    return new AlertHolds(
        hold(keys, "tunnel-down").orElse(d.tunnelDown()),
        hold(keys, "ladder-exhausted").orElse(d.ladderExhausted()),
        hold(keys, "uplink-down").orElse(d.uplinkDown()));
  }

  private Optional<Duration> hold(Map<String, YamlNode.Entry> keys, String key) {
    return value(keys, key, "alerting.hold", (n, p) -> read.duration(n, p, Duration.ZERO, AlertHolds.MAX));
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
      if (!ConfigValues.isName(uplink.key())) {
        read.problem(uplink.value(), path, "uplink name must be letters, digits, '.', '_' or '-'");
        continue;
      }
      read.mapping(uplink.value(), path, UPLINK_KEYS)
          .flatMap(m -> required(m, "interface", path, values::interfaceName))
          .ifPresent(ifname -> uplinks.put(uplink.key(), new UplinkConfig(uplink.key(), ifname)));
    }
    return uplinks;
  }

  private List<TunnelConfig> tunnels(YamlNode.Entry entry, TunnelResolver resolver) {
    List<TunnelConfig> tunnels = new ArrayList<>();
    if (entry == null) {
      return tunnels;
    }
    if (!(entry.value() instanceof YamlNode.Sequence sequence)) {
      read.problem(entry.value(), "tunnels", "must be a list of tunnels or auto, found " + ConfigValues.describe(entry.value()));
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
      Optional<String> name = required(mapping.get(), "name", path, values::name);
      TunnelFields own = tunnelFields(mapping.get(), path);
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
      resolver.resolve(name.get(), path, mapping.get(), own).ifPresent(tunnels::add);
    }
    return tunnels;
  }

  private static boolean isAuto(YamlNode.Entry entry) {
    return entry != null
        && entry.value() instanceof YamlNode.Scalar s
        && s.type() == YamlNode.ScalarType.STRING
        && s.text().equals(AUTO);
  }

  /**
   * {@code tunnels: auto}: the tunnels discovery finds now, each checked as if it had been
   * written in the file, with the defaults applied. Problems point at the {@code auto}.
   */
  private List<TunnelConfig> autoTunnels(
      YamlNode.Entry entry,
      YamlNode.Entry discoveryEntry,
      BackendConfig backend,
      TunnelResolver resolver) {
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
          TunnelFields.NONE
              .with(TunnelKeys.IKE, new Located<>(t.ike(), at.location(), Paths.child(path, "ike")))
              .with(TunnelKeys.CHILD, new Located<>(t.child(), at.location(), Paths.child(path, "child")))
              .with(TunnelKeys.SOURCE, new Located<>(t.source(), at.location(), Paths.child(path, "source")))
              .with(TunnelKeys.TARGETS, new Located<>(t.targets().stream().map(ProbeTarget::icmp).toList(), at.location(), Paths.child(path, "targets")));
      if (tunnels.stream().anyMatch(c -> c.name().equals(t.name()))) {
        read.problem(at, path, "discovery found two tunnels named \"" + t.name() + "\"");
        continue;
      }
      resolver.resolve(t.name(), path, node, own).ifPresent(tunnels::add);
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
    Optional<DiscoverySource> source = value(keys, "source", "discovery", (n, p) -> read.word(n, p, DiscoverySource.class));
    valid &= source.isPresent() || !keys.containsKey("source");
    Optional<Path> file = value(keys, "ipsec-conf", "discovery", values::absolutePath);
    valid &= file.isPresent() || !keys.containsKey("ipsec-conf");
    Optional<LocalSide> local = value(keys, "local", "discovery", (n, p) -> read.word(n, p, LocalSide.class));
    valid &= local.isPresent() || !keys.containsKey("local");
    if (!valid) {
      return Optional.empty();
    }
    return Optional.of(
        new DiscoverySettings(
            source.orElse(DiscoverySource.IPSEC_CONF), file.orElse(Path.of(BuiltinDefaults.IPSEC_CONF)), local, backend.uri()));
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
    Optional<String> schedule = required(mapping.get(), "schedule", path, values::cron);
    Optional<RemedyAction> action = required(mapping.get(), "action", path, values::action);
    Map<String, YamlNode.Entry> keys = mapping.get().entries();
    Optional<String> tunnel =
        value(keys, "tunnel", path, (n, p) -> values.knownName(n, p, tunnelNames, "tunnel", "tunnels"));
    if (schedule.isEmpty() || action.isEmpty() || (keys.containsKey("tunnel") && tunnel.isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(new MaintenanceConfig(schedule.get(), action.get(), tunnel));
  }

  private List<HookConfig> hooks(YamlNode.Entry entry, List<String> tunnelNames) {
    if (entry == null) {
      return List.of();
    }
    Map<String, SourceLocation> firstByName = new HashMap<>();
    return read.list(entry.value(), "hooks", (node, path) -> hook(node, path, Set.copyOf(tunnelNames), firstByName))
        .orElse(List.of());
  }

  /**
   * One hook. {@code command} is an argument vector, run as it is; {@code shell} is one line for
   * /bin/sh, for those who want pipes and expansions and say so.
   */
  private Optional<HookConfig> hook(YamlNode node, String path, Set<String> tunnelNames, Map<String, SourceLocation> firstByName) {
    Optional<YamlNode.Mapping> mapping = read.mapping(node, path, HOOK_KEYS);
    if (mapping.isEmpty()) {
      return Optional.empty();
    }
    Map<String, YamlNode.Entry> keys = mapping.get().entries();
    Optional<String> name = required(mapping.get(), "name", path, values::name);
    if (name.isPresent()) {
      YamlNode nameNode = keys.get("name").value();
      SourceLocation first = firstByName.putIfAbsent(name.get(), nameNode.location());
      if (first != null) {
        read.problem(nameNode, Paths.child(path, "name"), "duplicate hook name \"" + name.get() + "\" (first at line " + first.line() + ")");
        name = Optional.empty();
      }
    }
    Optional<List<String>> argv = hookProgram(mapping.get(), path);
    Optional<List<HookTrigger>> on =
        keys.containsKey("on")
            ? value(keys, "on", path, (n, p) -> read.distinctList(n, p, (i, ip) -> read.word(i, ip, HookTrigger.class), HookTrigger::configName, "must name at least one event"))
            : Optional.of(List.of(HookTrigger.STATE));
    Optional<List<String>> tunnels =
        keys.containsKey("tunnels")
            ? value(keys, "tunnels", path, (n, p) -> read.distinctList(n, p, (i, ip) -> values.knownName(i, ip, tunnelNames, "tunnel", "tunnels"), t -> t, "must name at least one tunnel (leave it out for every tunnel)"))
            : Optional.of(List.of());
    Optional<Duration> timeout =
        keys.containsKey("timeout")
            ? value(keys, "timeout", path, (n, p) -> read.duration(n, p, MIN_HOOK_TIMEOUT, MAX_HOOK_TIMEOUT))
            : Optional.of(HookConfig.DEFAULT_TIMEOUT);
    if (name.isEmpty() || argv.isEmpty() || on.isEmpty() || tunnels.isEmpty() || timeout.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new HookConfig(name.get(), argv.get(), Set.copyOf(on.get()), Set.copyOf(tunnels.get()), timeout.get()));
  }

  /** The argument vector of a hook: its {@code command}, or the shell running its {@code shell} line. */
  private Optional<List<String>> hookProgram(YamlNode.Mapping mapping, String path) {
    Map<String, YamlNode.Entry> keys = mapping.entries();
    if (keys.containsKey("command") == keys.containsKey("shell")) {
      read.problem(
          mapping,
          path,
          keys.containsKey("command")
              ? "has both command and shell: give one"
              : "needs command (a program and its arguments) or shell (a line for /bin/sh)");
      return Optional.empty();
    }
    if (keys.containsKey("shell")) {
      return value(keys, "shell", path, read::nonEmptyString).map(line -> List.of(HookConfig.SHELL, "-c", line));
    }
    Optional<List<String>> argv = value(keys, "command", path, (n, p) -> read.list(n, p, read::nonEmptyString));
    if (argv.isEmpty()) {
      return argv;
    }
    YamlNode command = keys.get("command").value();
    String commandPath = Paths.child(path, "command");
    if (argv.get().isEmpty()) {
      read.problem(command, commandPath, "must name the program to run");
      return Optional.empty();
    }
    if (!argv.get().get(0).startsWith("/")) {
      // No search of PATH: the agent's PATH under systemd is not the shell's.
      read.problem(command, commandPath, "the program must be an absolute path, found \"" + argv.get().get(0) + "\"");
      return Optional.empty();
    }
    return argv;
  }

  // ---- tunnels

  private TunnelFields tunnelFields(YamlNode.Mapping mapping, String path) {
    return TunnelFields.read(mapping, path, values);
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

  // ---- plumbing

  private <T> Optional<T> value(
      Map<String, YamlNode.Entry> keys,
      String key,
      String parent,
      BiFunction<YamlNode, String, Optional<T>> reader) {
    YamlNode.Entry entry = keys.get(key);
    return entry == null ? Optional.empty() : reader.apply(entry.value(), Paths.child(parent, key));
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

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
