package org.tunnelwatch.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.quartz.CronExpression;
import org.tunnelwatch.health.TargetsRule;
import org.tunnelwatch.probe.ProbeKind;
import org.tunnelwatch.probe.ProbeTarget;
import org.tunnelwatch.remedy.RemedyAction;

/**
 * Reads the values with rules of their own (names, paths, URLs, schedules, listen addresses) on
 * top of {@link NodeReader}'s types. Like it, each read returns a value or records a problem.
 */
final class ConfigValues {

  /** Names that are safe in metric labels, file names and log lines. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
  /** Linux interface names: up to 15 bytes, no slash or white space. */
  private static final Pattern INTERFACE = Pattern.compile("[^/\\s:]{1,15}");
  private static final Pattern LISTEN = Pattern.compile("(?:\\[([0-9a-fA-F:.]+)\\]|([^:\\[\\]]*)):(\\d{1,5})");

  private final NodeReader read;

  ConfigValues(NodeReader read) {
    this.read = read;
  }

  NodeReader read() {
    return read;
  }

  /** What was found, for messages: the kind of node and, for a scalar with text, the text. */
  static String describe(YamlNode node) {
    return node instanceof YamlNode.Scalar s && s.type() != YamlNode.ScalarType.NULL && !s.text().isEmpty()
        ? s.kind() + " (" + s.shown() + ")"
        : node.kind();
  }

  Optional<String> name(YamlNode node, String path) {
    Optional<String> name = read.string(node, path);
    if (name.isPresent() && !isName(name.get())) {
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

  static boolean isName(String text) {
    return NAME.matcher(text).matches();
  }

  Optional<String> knownName(YamlNode node, String path, Set<String> known, String what, String section) {
    Optional<String> name = read.string(node, path);
    if (name.isPresent() && !known.contains(name.get())) {
      read.problem(node, path, "no " + what + " named \"" + name.get() + "\" in " + section);
      return Optional.empty();
    }
    return name;
  }

  Optional<String> interfaceName(YamlNode node, String path) {
    Optional<String> name = read.string(node, path);
    if (name.isPresent() && !INTERFACE.matcher(name.get()).matches()) {
      read.problem(node, path, "must be a network interface name (1 to 15 characters, no '/', ':' or spaces), found \"" + name.get() + "\"");
      return Optional.empty();
    }
    return name;
  }

  Optional<Path> absolutePath(YamlNode node, String path) {
    Optional<String> text = read.nonEmptyString(node, path);
    if (text.isPresent() && !text.get().startsWith("/")) {
      read.problem(node, path, "must be an absolute path, found \"" + text.get() + "\"");
      return Optional.empty();
    }
    return text.map(Path::of);
  }

  Optional<String> socketUri(YamlNode node, String path) {
    Optional<String> text = read.string(node, path);
    if (text.isPresent()
        && !(text.get().matches("unix:///.+") || text.get().matches("tcp://[^/]+:\\d+"))) {
      read.problem(node, path, "must be unix:///path/to/socket or tcp://host:port, found \"" + text.get() + "\"");
      return Optional.empty();
    }
    return text;
  }

  /** {@code tcp://ADDRESS:PORT} or {@code udp://ADDRESS:PORT}; IPv6 addresses in brackets. */
  private static final Pattern PORT_TARGET = Pattern.compile("(tcp|udp)://(?:\\[([^\\]]*)\\]|([^\\[\\]:]*)):(\\d{1,5})");

  /**
   * The targets: each an address (ICMP) or a {@link ProbeTarget} URL. One address may be probed
   * several ways (ICMP and {@code tcp://...:22}), but each way once.
   */
  Optional<List<ProbeTarget>> targets(YamlNode node, String path) {
    return read.distinctList(node, path, this::target, ProbeTarget::label, "must name at least one target");
  }

  private Optional<ProbeTarget> target(YamlNode node, String path) {
    if (!(node instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.STRING && s.text().contains("://"))) {
      return read.address(node, path).map(ProbeTarget::icmp);
    }
    var url = PORT_TARGET.matcher(s.text());
    if (!url.matches()) {
      read.problem(node, path, "must be an address, tcp://ADDRESS:PORT or udp://ADDRESS:PORT, found \"" + s.text() + "\"");
      return Optional.empty();
    }
    String host = url.group(2) != null ? url.group(2) : url.group(3);
    Optional<InetAddress> address = read.address(new YamlNode.Scalar(host, YamlNode.ScalarType.STRING, s.location()), path);
    int port = Integer.parseInt(url.group(4));
    if (port < 1 || port > 65535) {
      read.problem(node, path, "port must be between 1 and 65535, found " + port);
      return Optional.empty();
    }
    ProbeKind kind = ConfigWord.find(ProbeKind.class, url.group(1)).orElseThrow();
    return address.map(a -> new ProbeTarget(kind, a, port));
  }

  /** The most targets a rule may ask for: more than any tunnel sensibly lists. */
  static final int MAX_TARGETS_RULE = 1000;

  /** The rule's words; {@code at-least: N} is a mapping. */
  private enum TargetsRuleWord implements ConfigWord {
    ANY,
    ALL
  }

  /** {@code any}, {@code all} or {@code {at-least: N}}; whether N fits the targets is checked with them. */
  Optional<TargetsRule> targetsRule(YamlNode node, String path) {
    if (node instanceof YamlNode.Mapping) {
      Optional<YamlNode.Mapping> mapping = read.mapping(node, path, Set.of("at-least"));
      YamlNode.Entry atLeast = mapping.map(m -> m.entries().get("at-least")).orElse(null);
      if (mapping.isPresent() && mapping.get().entries().isEmpty()) {
        read.problem(node, path, "must be any, all or {at-least: N}, found an empty mapping");
      }
      return atLeast == null
          ? Optional.empty()
          : read.integer(atLeast.value(), Paths.child(path, "at-least"), 1, MAX_TARGETS_RULE).map(TargetsRule::atLeast);
    }
    Optional<TargetsRuleWord> word =
        node instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.STRING
            ? ConfigWord.find(TargetsRuleWord.class, s.text())
            : Optional.empty();
    if (word.isEmpty()) {
      read.problem(node, path, "must be any, all or {at-least: N}, found " + describe(node));
      return Optional.empty();
    }
    return Optional.of(word.get() == TargetsRuleWord.ALL ? TargetsRule.ALL : TargetsRule.ANY);
  }

  Optional<List<RemedyAction>> ladder(YamlNode node, String path) {
    return read.distinctList(
        node, path, this::action, RemedyAction::configName, "must have at least one action (set dry-run to never act)");
  }

  Optional<RemedyAction> action(YamlNode node, String path) {
    return read.word(node, path, RemedyAction.class);
  }

  /** {@code 4} and {@code 5} are naturally written as numbers, {@code auto} as a word. */
  Optional<LibreswanVersion> libreswanVersion(YamlNode node, String path) {
    if (node instanceof YamlNode.Scalar s
        && (s.type() == YamlNode.ScalarType.STRING || s.type() == YamlNode.ScalarType.INTEGER)) {
      Optional<LibreswanVersion> version = ConfigWord.find(LibreswanVersion.class, s.text());
      if (version.isPresent()) {
        return version;
      }
    }
    read.problem(node, path, "must be auto, 4 or 5, found " + describe(node));
    return Optional.empty();
  }

  /**
   * {@code yes} and {@code no} as strongswan.conf spells them (YAML 1.1 would call them booleans,
   * which the tree reader keeps as words); {@code true} and {@code false} are refused rather than
   * guessed at, like every other boolean where a word belongs.
   */
  Optional<MakeBeforeBreakSetting> makeBeforeBreak(YamlNode node, String path) {
    if (node instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.STRING) {
      Optional<MakeBeforeBreakSetting> setting = ConfigWord.find(MakeBeforeBreakSetting.class, s.text());
      if (setting.isPresent()) {
        return setting;
      }
    }
    read.problem(node, path, "must be auto, yes or no, found " + describe(node));
    return Optional.empty();
  }

  Optional<List<URI>> httpUrls(YamlNode node, String path) {
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
  Optional<URI> httpUrl(YamlNode node, String path) {
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

  Optional<String> cron(YamlNode node, String path) {
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

  Optional<ListenAddress> listen(YamlNode node, String path) {
    Optional<String> text = read.string(node, path);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<ListenAddress> address = parseListen(text.get());
    if (address.isEmpty()) {
      read.problem(node, path, listenRule(text.get()));
    }
    return address;
  }

  /** What a listen address must be, and what was found instead. */
  static String listenRule(String found) {
    return "must be host:port with an IP address (or nothing) before the colon and a port from 1 to 65535, found \"" + found + "\"";
  }

  static Optional<ListenAddress> parseListen(String text) {
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
}
