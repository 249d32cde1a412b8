package org.tunnelwatch.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Typed reads from {@link YamlNode}s. Each read either returns a value or records a problem that
 * names the path, the rule and what was found, and returns empty; it never throws.
 */
final class NodeReader {

  private final Problems problems;

  NodeReader(Problems problems) {
    this.problems = problems;
  }

  void problem(YamlNode at, String path, String message) {
    problems.add(at.location(), path, message);
  }

  /** A problem found in another file that this one refers to, such as the web config. */
  void foreign(ConfigProblem problem) {
    problems.addForeign(problem);
  }

  /** The node as a mapping whose keys are all in {@code allowed}; unknown keys are problems. */
  Optional<YamlNode.Mapping> mapping(YamlNode node, String path, Set<String> allowed) {
    if (!(node instanceof YamlNode.Mapping mapping)) {
      return wrongType(node, path, "a mapping");
    }
    for (YamlNode.Entry entry : mapping.entries().values()) {
      if (!allowed.contains(entry.key())) {
        problems.add(
            entry.keyLocation(),
            Paths.child(path, entry.key()),
            "unknown key (allowed here: " + String.join(", ", new TreeSet<>(allowed)) + ")");
      }
    }
    return Optional.of(mapping);
  }

  /** The items of a list, each read by {@code item}; items that fail are left out. */
  <T> Optional<List<T>> list(
      YamlNode node, String path, BiFunction<YamlNode, String, Optional<T>> item) {
    if (!(node instanceof YamlNode.Sequence sequence)) {
      return wrongType(node, path, "a list");
    }
    List<T> values = new ArrayList<>();
    boolean complete = true;
    for (int i = 0; i < sequence.items().size(); i++) {
      Optional<T> value = item.apply(sequence.items().get(i), Paths.index(path, i));
      complete &= value.isPresent();
      value.ifPresent(values::add);
    }
    return complete ? Optional.of(values) : Optional.empty();
  }

  /**
   * A list that must not be empty and must not name anything twice, such as targets or ladder
   * rungs; {@code show} writes an item the way the file does, for the message.
   */
  <T> Optional<List<T>> distinctList(
      YamlNode node,
      String path,
      BiFunction<YamlNode, String, Optional<T>> item,
      Function<T, String> show,
      String whenEmpty) {
    Optional<List<T>> values = list(node, path, item);
    if (values.isEmpty()) {
      return values;
    }
    if (values.get().isEmpty()) {
      problem(node, path, whenEmpty);
      return Optional.empty();
    }
    Set<T> seen = new HashSet<>();
    for (T value : values.get()) {
      if (!seen.add(value)) {
        problem(node, path, "names " + show.apply(value) + " twice");
        return Optional.empty();
      }
    }
    return values;
  }

  Optional<String> string(YamlNode node, String path) {
    if (node instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.ScalarType.NULL) {
      if (scalar.type() != YamlNode.ScalarType.STRING) {
        return wrongType(node, path, "a string");
      }
      return Optional.of(scalar.text());
    }
    return wrongType(node, path, "a string");
  }

  Optional<String> nonEmptyString(YamlNode node, String path) {
    Optional<String> text = string(node, path);
    if (text.isPresent() && text.get().isBlank()) {
      problem(node, path, "must not be empty");
      return Optional.empty();
    }
    return text;
  }

  Optional<Boolean> bool(YamlNode node, String path) {
    if (node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.BOOLEAN) {
      return Optional.of(Boolean.parseBoolean(scalar.text()));
    }
    return wrongType(node, path, "true or false");
  }

  Optional<Integer> integer(YamlNode node, String path, int min, int max) {
    if (!(node instanceof YamlNode.Scalar scalar) || scalar.type() != YamlNode.ScalarType.INTEGER) {
      return wrongType(node, path, "a whole number");
    }
    long value;
    try {
      value = Long.parseLong(scalar.text());
    } catch (NumberFormatException e) {
      value = Long.MAX_VALUE; // too long for a long: certainly out of range
    }
    if (value < min || value > max) {
      problem(node, path, "must be between " + min + " and " + max + ", found " + scalar.text());
      return Optional.empty();
    }
    return Optional.of((int) value);
  }

  /** A ratio strictly between 0 and 1, such as 0.1 for 10 %. */
  Optional<Double> ratio(YamlNode node, String path) {
    if (!(node instanceof YamlNode.Scalar scalar)
        || (scalar.type() != YamlNode.ScalarType.DECIMAL
            && scalar.type() != YamlNode.ScalarType.INTEGER)) {
      return wrongType(node, path, "a ratio between 0 and 1");
    }
    double value;
    try {
      value = Double.parseDouble(scalar.text());
    } catch (NumberFormatException e) {
      value = Double.NaN; // YAML spellings Java does not read (.nan, 0x1, 0.1_0): not a ratio
    }
    if (!(value > 0 && value < 1)) {
      problem(node, path, "must be a ratio between 0 and 1 (0.1 means 10%), found " + scalar.text());
      return Optional.empty();
    }
    return Optional.of(value);
  }

  Optional<Duration> duration(YamlNode node, String path, Duration min, Duration max) {
    if (!(node instanceof YamlNode.Scalar scalar)
        || (scalar.type() != YamlNode.ScalarType.STRING
            && scalar.type() != YamlNode.ScalarType.INTEGER)) {
      return wrongType(node, path, "a duration like 500ms, 2s or 1m");
    }
    Optional<Duration> parsed = Durations.parse(scalar.text());
    if (parsed.isEmpty() && Durations.isWellFormed(scalar.text())) {
      problem(node, path, "must be at most " + Durations.format(max) + ", found " + scalar.text());
      return Optional.empty();
    }
    if (parsed.isEmpty()) {
      problem(node, path, "must be a duration like 500ms, 2s or 1m, found " + scalar.shown());
      return Optional.empty();
    }
    Duration value = parsed.get();
    if (value.compareTo(min) < 0) {
      problem(node, path, "must be at least " + Durations.format(min) + ", found " + scalar.text());
      return Optional.empty();
    }
    if (value.compareTo(max) > 0) {
      problem(node, path, "must be at most " + Durations.format(max) + ", found " + scalar.text());
      return Optional.empty();
    }
    return parsed;
  }

  Optional<InetAddress> address(YamlNode node, String path) {
    Optional<String> text = string(node, path);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<InetAddress> address = IpAddresses.parseLiteral(text.get());
    if (address.isEmpty()) {
      problem(node, path, "must be an IPv4 or IPv6 address, found \"" + text.get() + "\"");
    }
    return address;
  }

  /** One of the words of {@code type}; anything else is a problem that lists them. */
  <E extends Enum<E> & ConfigWord> Optional<E> word(YamlNode node, String path, Class<E> type) {
    Optional<String> text = string(node, path);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<E> found = ConfigWord.find(type, text.get());
    if (found.isEmpty()) {
      Set<String> words = new TreeSet<>();
      for (E e : type.getEnumConstants()) {
        words.add(e.configName());
      }
      problem(node, path, "must be one of " + String.join(", ", words) + ", found \"" + text.get() + "\"");
    }
    return found;
  }

  private <T> Optional<T> wrongType(YamlNode node, String path, String expected) {
    String found =
        node instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.ScalarType.NULL && !scalar.text().isEmpty()
            ? scalar.kind() + " (" + scalar.shown() + ")"
            : node.kind();
    problem(node, path, "must be " + expected + ", found " + found);
    return Optional.empty();
  }
}
