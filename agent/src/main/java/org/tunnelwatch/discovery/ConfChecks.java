package org.tunnelwatch.discovery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks for the mistakes that make a conn silently not work, without knowing every keyword (an
 * ipsec.conf has hundreds, and each implementation its own): magic values such as {@code
 * %defaultroute} spelt wrong, the letter {@code l} typed for the digit {@code 1} in conn names
 * and ids (the peer's conn or id then no longer matches), and one peer id given two different
 * keys. Everything found is a warning. Pure.
 */
final class ConfChecks {

  /** The magic values of FreeS/WAN, Openswan and Libreswan that a typo could miss. */
  static final Set<String> MAGIC_VALUES =
      Set.of(
          "%defaultroute", "%defaultroute6", "%any", "%any4", "%any6", "%opportunistic",
          "%opportunisticgroup", "%group", "%search", "%none", "%direct", "%default", "%ignore",
          "%auto", "%sameip", "%priv", "%no", "%yes", "%cert", "%fromcert", "%dns", "%dnsondemand",
          "%myid", "%same", "%hold", "%pass", "%drop", "%reject", "%trap", "%trapsubnet");

  /** A word whose tail mixes digits and the letter l, after at least one other letter. */
  private static final Pattern DIGITISH_TAIL = Pattern.compile("([a-z]*[a-km-z])([0-9l]*l[0-9l]*)");
  private static final Pattern STEM_DIGITS = Pattern.compile("([a-z]+?)([0-9]+)");

  private ConfChecks() {}

  /** Misspelt magic values, in any section. */
  static List<Diagnostic> magicValues(List<ConfSection> sections) {
    List<Diagnostic> found = new ArrayList<>();
    for (ConfSection section : sections) {
      for (ConfSetting s : section.settings()) {
        for (String item : s.value().split("[,\\s]+")) {
          if (!item.startsWith("%") || item.contains(":") || MAGIC_VALUES.contains(item)) {
            continue;
          }
          Spelling.closest(item, MAGIC_VALUES)
              .ifPresent(
                  meant ->
                      found.add(
                          Diagnostic.warning(
                              s.location(),
                              s.key() + "=" + s.value() + ": unknown magic value " + item + " (did you mean " + meant
                                  + "?); the daemon will not read it as " + meant)));
        }
      }
    }
    return found;
  }

  /**
   * Conn names and ids with the letter l where a digit 1 was meant: {@code sitel-site2} beside
   * {@code site2}, {@code sgl-sgcentral} with {@code leftid=@sg1...}. A word counts as mistyped
   * when replacing its l by 1 gives a word the same conn also uses, or when the conn uses the
   * same stem with digits ({@code site2} for {@code sitel}).
   */
  static List<Diagnostic> letterForDigit(List<ResolvedConn> conns) {
    List<Diagnostic> found = new ArrayList<>();
    for (ResolvedConn conn : conns) {
      Set<String> words = new LinkedHashSet<>(words(conn.name()));
      conn.value("leftid").ifPresent(v -> words.addAll(words(v)));
      conn.value("rightid").ifPresent(v -> words.addAll(words(v)));
      for (String word : words(conn.name())) {
        suspicion(word, words)
            .ifPresent(
                meant ->
                    found.add(
                        Diagnostic.warning(
                            conn.location(),
                            "conn name " + conn.name() + ": \"" + word + "\" looks like \"" + meant
                                + "\" with the letter l typed for the digit 1; the peer's conn must have the same name")));
      }
      for (String key : List.of("leftid", "rightid")) {
        Optional<ConfSetting> id = conn.setting(key);
        if (id.isEmpty()) {
          continue;
        }
        for (String word : words(id.get().value())) {
          suspicion(word, words)
              .ifPresent(
                  meant ->
                      found.add(
                          Diagnostic.warning(
                              id.get().location(),
                              key + "=" + id.get().value() + ": \"" + word + "\" looks like \"" + meant
                                  + "\" with the letter l typed for the digit 1; the peer must use the same id")));
        }
      }
    }
    return List.copyOf(new LinkedHashSet<>(found));
  }

  /**
   * Two conns that give the same peer id different public keys: one of the ids is wrong (a copied
   * section whose id was not changed), and the daemon cannot tell the peers apart.
   */
  static List<Diagnostic> sharedIds(List<ResolvedConn> conns) {
    List<Diagnostic> found = new ArrayList<>();
    for (String side : List.of("left", "right")) {
      Map<String, ResolvedConn> firstById = new LinkedHashMap<>();
      for (ResolvedConn conn : conns) {
        Optional<ConfSetting> id = conn.setting(side + "id");
        Optional<String> key = conn.value(side + "rsasigkey");
        if (id.isEmpty() || id.get().value().isEmpty() || key.isEmpty()) {
          continue;
        }
        ResolvedConn first = firstById.putIfAbsent(id.get().value(), conn);
        if (first != null && !first.value(side + "rsasigkey").equals(key)) {
          found.add(
              Diagnostic.warning(
                  id.get().location(),
                  side + "id=" + id.get().value() + " in conn " + conn.name() + " is also the " + side + "id of conn "
                      + first.name() + " (" + first.location() + ") but with another " + side
                      + "rsasigkey; one of the two ids is probably wrong"));
        }
      }
    }
    return List.copyOf(new LinkedHashSet<>(found));
  }

  private static Optional<String> suspicion(String word, Set<String> context) {
    Matcher m = DIGITISH_TAIL.matcher(word);
    if (!m.matches()) {
      return Optional.empty();
    }
    String stem = m.group(1);
    String meant = stem + m.group(2).replace('l', '1');
    if (context.contains(meant)) {
      return Optional.of(meant);
    }
    for (String other : context) {
      Matcher d = STEM_DIGITS.matcher(other);
      if (!other.equals(word) && d.matches() && d.group(1).equals(stem)) {
        return Optional.of(meant);
      }
    }
    return Optional.empty();
  }

  /** The lower-case words of a name or id: {@code @sg1.yourdomain.com} gives sg1, yourdomain, com. */
  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }
}
