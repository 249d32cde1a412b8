package org.tunnelwatch.ipsec.vici;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A VICI message, or one section of it: key/values, lists of values and named sub-sections, in
 * the order they were written. Names are unique within a section, as the protocol demands.
 * Immutable; build one with {@link #builder()}.
 *
 * <p>The accessors are lenient, as a reader of daemon output must be: a missing or differently
 * typed entry reads as absent, never as an exception.
 */
public final class ViciMessage {

  private static final ViciMessage EMPTY = new ViciMessage(Map.of());

  /** What a name in a section refers to. */
  public sealed interface Entry permits Value, Items, Section {}

  /** A key/value. */
  public record Value(ViciValue value) implements Entry {}

  /** A list of values. */
  public record Items(List<ViciValue> items) implements Entry {
    public Items {
      items = List.copyOf(items);
    }
  }

  /** A named sub-section. */
  public record Section(ViciMessage section) implements Entry {}

  private final Map<String, Entry> entries;

  private ViciMessage(Map<String, Entry> entries) {
    this.entries = entries;
  }

  public static ViciMessage empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every entry, in message order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The value of key {@code key} as text, if it is a key/value. */
  public Optional<String> text(String key) {
    return entries.get(key) instanceof Value v ? Optional.of(v.value().text()) : Optional.empty();
  }

  /** The value of {@code key} as a non-negative decimal number, if it is one. */
  public OptionalLong number(String key) {
    Optional<String> text = text(key);
    if (text.isEmpty() || !text.get().matches("\\d{1,19}")) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(text.get()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty(); // above Long.MAX_VALUE
    }
  }

  /** Whether {@code key} holds the text {@code yes}, charon's word for true. */
  public boolean yes(String key) {
    return text(key).map("yes"::equals).orElse(false);
  }

  /** The sub-section {@code name}; an empty message when there is none. */
  public ViciMessage section(String name) {
    return entries.get(name) instanceof Section s ? s.section() : EMPTY;
  }

  /** The sub-sections of this section, by name, in message order. */
  public Map<String, ViciMessage> sections() {
    Map<String, ViciMessage> sections = new LinkedHashMap<>();
    entries.forEach((name, entry) -> {
      if (entry instanceof Section s) {
        sections.put(name, s.section());
      }
    });
    return Collections.unmodifiableMap(sections);
  }

  /** The items of list {@code name} as text; empty when there is no such list. */
  public List<String> list(String name) {
    return entries.get(name) instanceof Items items
        ? items.items().stream().map(ViciValue::text).toList()
        : List.of();
  }

  @Override
  public boolean equals(Object o) {
    // Order matters in VICI (charon keeps it), so equal messages have equal order too.
    return o instanceof ViciMessage m && new ArrayList<>(entries.entrySet()).equals(new ArrayList<>(m.entries.entrySet()));
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  /** The message in the pseudo-markup of strongSwan's README, for logs and test failures. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    entries.forEach((name, entry) -> {
      out.append(' ').append(name).append('=');
      if (entry instanceof Value v) {
        out.append(v.value().text());
      } else if (entry instanceof Items items) {
        out.append(items.items());
      } else if (entry instanceof Section s) {
        out.append(s.section());
      }
    });
    return out.append(" }").toString();
  }

  /** Builds a message; names must be unique and at most 255 bytes. Not thread-safe. */
  public static final class Builder {

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private Builder() {}

    public Builder add(String key, String value) {
      return put(key, new Value(ViciValue.of(value)));
    }

    public Builder add(String key, ViciValue value) {
      return put(key, new Value(value));
    }

    public Builder list(String name, List<ViciValue> items) {
      return put(name, new Items(items));
    }

    public Builder listOfText(String name, List<String> items) {
      return list(name, items.stream().map(ViciValue::of).toList());
    }

    public Builder section(String name, ViciMessage section) {
      return put(name, new Section(section));
    }

    /** Adds an entry of any kind; used by the decoder. */
    Builder put(String name, Entry entry) {
      if (name.getBytes(StandardCharsets.UTF_8).length > ViciCodec.MAX_NAME_LENGTH) {
        throw new IllegalArgumentException("a VICI name holds at most 255 bytes: " + name);
      }
      if (entries.putIfAbsent(name, entry) != null) {
        throw new IllegalArgumentException("duplicate name \"" + name + "\" in one section");
      }
      return this;
    }

    boolean has(String name) {
      return entries.containsKey(name);
    }

    public ViciMessage build() {
      return new ViciMessage(Collections.unmodifiableMap(new LinkedHashMap<>(entries)));
    }
  }
}
