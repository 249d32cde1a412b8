package org.tunnelwatch.config;

import org.tunnelwatch.probe.ProbeTarget;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads the top-level {@code failover:} list into {@link FailoverGroupConfig}s and checks the
 * rules between groups and tunnels: every member a tunnel, at least two members, no tunnel in two
 * groups, the members of a group probing the same targets, group names unique. With a list of
 * groups, each member in one, there can be no cycles. Problems are recorded, never thrown.
 */
final class FailoverGroupReader {

  static final String FAILOVER_AFTER_LADDER = "ladder";
  private static final Set<String> KEYS =
      Set.of("name", "members", "mode", "failover-after", "preempt", "preempt-after", "hold-down", "loss-limit");
  private static final Set<String> HOLD_DOWN_KEYS = Set.of("failures", "within", "for");

  private final NodeReader read;
  private final ConfigValues values;

  FailoverGroupReader(NodeReader read, ConfigValues values) {
    this.read = read;
    this.values = values;
  }

  /**
   * @param declared every tunnel name written in the file (valid or not), so that a member whose
   *     tunnel has a problem of its own is not also called unknown
   * @param tunnels the valid tunnels, by name
   */
  List<FailoverGroupConfig> read(YamlNode.Entry entry, Set<String> declared, Map<String, TunnelConfig> tunnels) {
    if (entry == null) {
      return List.of();
    }
    if (!(entry.value() instanceof YamlNode.Sequence list)) {
      read.problem(entry.value(), "failover", "must be a list of groups, found " + ConfigValues.describe(entry.value()));
      return List.of();
    }
    List<FailoverGroupConfig> groups = new ArrayList<>();
    Map<String, SourceLocation> groupNames = new HashMap<>();
    Map<String, String> groupOfMember = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      String path = Paths.index("failover", i);
      Optional<YamlNode.Mapping> mapping = read.mapping(list.items().get(i), path, KEYS);
      if (mapping.isEmpty()) {
        continue;
      }
      group(mapping.get(), path, declared, tunnels, groupNames, groupOfMember).ifPresent(groups::add);
    }
    return groups;
  }

  private Optional<FailoverGroupConfig> group(
      YamlNode.Mapping mapping,
      String path,
      Set<String> declared,
      Map<String, TunnelConfig> tunnels,
      Map<String, SourceLocation> groupNames,
      Map<String, String> groupOfMember) {
    Map<String, YamlNode.Entry> keys = mapping.entries();
    Optional<String> name = required(mapping, "name", path, values::name);
    if (name.isPresent()) {
      YamlNode at = keys.get("name").value();
      SourceLocation first = groupNames.putIfAbsent(name.get(), at.location());
      if (first != null) {
        read.problem(at, Paths.child(path, "name"), "duplicate group name \"" + name.get() + "\" (first at line " + first.line() + ")");
        name = Optional.empty();
      }
    }
    Optional<List<String>> members = required(mapping, "members", path, (n, p) -> members(n, p, declared));
    if (members.isPresent()) {
      YamlNode at = keys.get("members").value();
      String membersPath = Paths.child(path, "members");
      members = checkMembers(members.get(), at, membersPath, name.orElse(path), tunnels, groupOfMember);
    }
    Optional<Optional<FailoverMode>> mode = optionalOrBad(keys, "mode", path, (n, p) -> read.word(n, p, FailoverMode.class));
    Optional<Optional<Optional<Duration>>> failoverAfter = optionalOrBad(keys, "failover-after", path, this::failoverAfter);
    Optional<Optional<Boolean>> preempt = optionalOrBad(keys, "preempt", path, read::bool);
    Optional<Optional<Duration>> preemptAfter =
        optionalOrBad(keys, "preempt-after", path, (n, p) -> read.duration(n, p, Duration.ZERO, TunnelKeys.MAX_DURATION));
    Optional<Optional<FailoverGroupConfig.HoldDown>> holdDown = optionalOrBad(keys, "hold-down", path, this::holdDown);
    Optional<Optional<Double>> lossLimit = optionalOrBad(keys, "loss-limit", path, read::ratio);
    if (name.isEmpty() || members.isEmpty() || mode.isEmpty() || failoverAfter.isEmpty() || preempt.isEmpty()
        || preemptAfter.isEmpty() || holdDown.isEmpty() || lossLimit.isEmpty()) {
      return Optional.empty();
    }
    FailoverMode groupMode = mode.get().orElse(FailoverMode.HOT);
    return Optional.of(
        new FailoverGroupConfig(
            name.get(),
            members.get(),
            groupMode,
            failoverAfter.get().orElseGet(() -> FailoverGroupConfig.defaultFailoverAfter(groupMode)),
            preempt.get().orElse(true),
            preemptAfter.get().orElse(FailoverGroupConfig.DEFAULT_PREEMPT_AFTER),
            holdDown.get().orElse(FailoverGroupConfig.HoldDown.DEFAULT),
            lossLimit.get().map(OptionalDouble::of).orElse(OptionalDouble.empty())));
  }

  private Optional<List<String>> members(YamlNode node, String path, Set<String> declared) {
    return read.distinctList(
        node,
        path,
        (n, p) -> values.knownName(n, p, declared, "tunnel", "tunnels"),
        m -> "\"" + m + "\"",
        "must name at least two tunnels, found none");
  }

  /** At least two, none in another group, all probing the same targets. */
  private Optional<List<String>> checkMembers(
      List<String> members,
      YamlNode at,
      String path,
      String group,
      Map<String, TunnelConfig> tunnels,
      Map<String, String> groupOfMember) {
    if (members.size() < 2) {
      read.problem(at, path, "must name at least two tunnels, found only \"" + members.get(0) + "\"");
      return Optional.empty();
    }
    boolean valid = true;
    for (String member : members) {
      String other = groupOfMember.putIfAbsent(member, group);
      if (other != null) {
        read.problem(at, path, "tunnel \"" + member + "\" is already a member of group \"" + other + "\"; a tunnel belongs to one group");
        valid = false;
      }
    }
    TunnelConfig first = tunnels.get(members.get(0));
    for (String member : members.subList(1, members.size())) {
      TunnelConfig next = tunnels.get(member);
      if (first != null && next != null && !new HashSet<>(first.targets()).equals(new HashSet<>(next.targets()))) {
        read.problem(
            at,
            path,
            "\"" + first.name() + "\" and \"" + member + "\" probe different targets (" + show(first.targets()) + " and "
                + show(next.targets()) + "); the members of a group must reach the same hosts");
        valid = false;
      }
    }
    return valid ? Optional.of(members) : Optional.empty();
  }

  private static String show(List<ProbeTarget> targets) {
    return String.join(", ", targets.stream().map(ProbeTarget::label).toList());
  }

  /** {@code ladder} or a duration: empty for the ladder. */
  private Optional<Optional<Duration>> failoverAfter(YamlNode node, String path) {
    if (node instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.STRING && s.text().equals(FAILOVER_AFTER_LADDER)) {
      return Optional.of(Optional.empty());
    }
    if (node instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.STRING && !Durations.isWellFormed(s.text())) {
      read.problem(node, path, "must be ladder or a duration like 0s, 10s or 1m, found \"" + s.text() + "\"");
      return Optional.empty();
    }
    return read.duration(node, path, Duration.ZERO, TunnelKeys.MAX_DURATION).map(Optional::of);
  }

  private Optional<FailoverGroupConfig.HoldDown> holdDown(YamlNode node, String path) {
    Optional<YamlNode.Mapping> mapping = read.mapping(node, path, HOLD_DOWN_KEYS);
    if (mapping.isEmpty()) {
      return Optional.empty();
    }
    FailoverGroupConfig.HoldDown defaults = FailoverGroupConfig.HoldDown.DEFAULT;
    Map<String, YamlNode.Entry> keys = mapping.get().entries();
    Optional<Optional<Integer>> failures = optionalOrBad(keys, "failures", path, (n, p) -> read.integer(n, p, 1, 1000));
    Optional<Optional<Duration>> within =
        optionalOrBad(keys, "within", path, (n, p) -> read.duration(n, p, Duration.ofSeconds(1), TunnelKeys.MAX_DURATION));
    Optional<Optional<Duration>> hold =
        optionalOrBad(keys, "for", path, (n, p) -> read.duration(n, p, Duration.ZERO, TunnelKeys.MAX_DURATION));
    if (failures.isEmpty() || within.isEmpty() || hold.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new FailoverGroupConfig.HoldDown(
            failures.get().orElse(defaults.failures()), within.get().orElse(defaults.within()), hold.get().orElse(defaults.hold())));
  }

  // ---- plumbing

  /** Outer empty: the key is there and bad; inner empty: the key is absent. */
  private <T> Optional<Optional<T>> optionalOrBad(
      Map<String, YamlNode.Entry> keys, String key, String parent, BiFunction<YamlNode, String, Optional<T>> reader) {
    YamlNode.Entry entry = keys.get(key);
    if (entry == null) {
      return Optional.of(Optional.empty());
    }
    return reader.apply(entry.value(), Paths.child(parent, key)).map(Optional::of);
  }

  private <T> Optional<T> required(YamlNode.Mapping mapping, String key, String parent, BiFunction<YamlNode, String, Optional<T>> reader) {
    YamlNode.Entry entry = mapping.entries().get(key);
    if (entry == null) {
      read.problem(mapping, Paths.child(parent, key), "required");
      return Optional.empty();
    }
    return reader.apply(entry.value(), Paths.child(parent, key));
  }
}
