package org.tunnelwatch.ipsec.libreswan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.IkeSa;

/**
 * Reads the SAs from {@code ipsec whack --showstates} (one line per IKE and IPsec/Child SA, with
 * its state) and {@code ipsec whack --trafficstatus} (one line per installed IPsec SA, with its
 * byte counts). Libreswan 4 starts every line with a three-digit code ({@code 000 #1: ...},
 * {@code 006 #2: ...}); Libreswan 5 does not. Lines that are neither are ignored: both commands
 * print other information around them. Pure.
 *
 * <p>An IPsec SA in the traffic status is {@code INSTALLED}; it hangs under the IKE SA its state
 * line names ({@code IKE SA #1}, or {@code isakmp#1} for IKEv1), else under its connection's
 * newest IKE SA, else (IKEv1 after its ISAKMP SA expired) under a stand-in IKE SA in state {@code
 * NONE}. Other states keep Libreswan's name without the {@code STATE_} prefix.
 */
final class LibreswanStatusParser {

  private static final String CODE = "^(?:\\d{3} )?";
  /** A state serial: one that does not fit in a long is not Libreswan's, and the line is ignored. */
  private static final String SERIAL = "(\\d{1,18})";
  private static final Pattern STATE =
      Pattern.compile(CODE + "#" + SERIAL + ": \"([^\"]+)\"(?:\\[\\d+\\])?(?: \\S+?)?:\\d+ (\\S+) \\(([^)]*)\\)(.*)$");
  private static final Pattern TRAFFIC =
      Pattern.compile(CODE + "#" + SERIAL + ": \"([^\"]+)\"(?:\\[\\d+\\])?(?: \\S+)?, type=\\w+, add_time=\\d+, inBytes=(\\d+), outBytes=(\\d+)");
  private static final Pattern PARENT = Pattern.compile("(?:IKE SA #|isakmp#)" + SERIAL);
  private static final Pattern CHILD_STATE = Pattern.compile(".*(CHILD_SA|QUICK|IPSEC).*");
  private static final Pattern CHILD_DESCRIPTION = Pattern.compile(".*(IPsec SA|Child SA).*");
  private static final Pattern IKE_ESTABLISHED =
      Pattern.compile("(STATE_)?(V2_)?ESTABLISHED_IKE_SA|STATE_MAIN_(I4|R3)|STATE_AGGR_(I2|R3)|STATE_PARENT_(I3|R2)");

  private LibreswanStatusParser() {}

  static List<IkeSa> parse(String showstates, String trafficstatus) {
    Map<Long, Traffic> traffic = new LinkedHashMap<>();
    for (String line : trafficstatus.split("\n")) {
      Matcher m = TRAFFIC.matcher(line.strip());
      if (m.find()) {
        traffic.put(Long.parseLong(m.group(1)), new Traffic(m.group(2), counter(m.group(3)), counter(m.group(4))));
      }
    }
    Map<Long, Ike> ikes = new LinkedHashMap<>();
    List<Child> children = new ArrayList<>();
    for (String line : showstates.split("\n")) {
      Matcher m = STATE.matcher(line.strip());
      if (!m.matches()) {
        continue;
      }
      long serial = Long.parseLong(m.group(1));
      String name = m.group(2);
      String state = m.group(3);
      String description = m.group(4);
      if (CHILD_STATE.matcher(state).matches() || CHILD_DESCRIPTION.matcher(description).matches()) {
        Matcher parent = PARENT.matcher(m.group(5));
        children.add(new Child(serial, name, shortState(state), parent.find() ? Long.parseLong(parent.group(1)) : -1));
      } else {
        boolean established = IKE_ESTABLISHED.matcher(state).matches() || description.contains("established");
        ikes.put(serial, new Ike(serial, name, established ? "ESTABLISHED" : shortState(state), new ArrayList<>()));
      }
    }
    for (Child child : children) {
      Traffic t = traffic.remove(child.serial);
      ChildSa sa =
          t == null
              ? new ChildSa(child.name, child.serial, child.state, 0, 0, 0, 0)
              : new ChildSa(child.name, child.serial, "INSTALLED", t.in, t.out, 0, 0);
      parentOf(child.parent, child.name, ikes).children.add(sa);
    }
    // Traffic for an SA that showstates did not list (it changed between the two calls).
    for (Map.Entry<Long, Traffic> e : traffic.entrySet()) {
      Traffic t = e.getValue();
      parentOf(-1, t.name, ikes).children.add(new ChildSa(t.name, e.getKey(), "INSTALLED", t.in, t.out, 0, 0));
    }
    return ikes.values().stream().map(i -> new IkeSa(i.name, i.serial, i.state, i.children)).toList();
  }

  private static Ike parentOf(long serial, String name, Map<Long, Ike> ikes) {
    Ike parent = ikes.get(serial);
    if (parent != null) {
      return parent;
    }
    Optional<Ike> newest =
        ikes.values().stream().filter(i -> i.name.equals(name)).reduce((a, b) -> a.serial > b.serial ? a : b);
    if (newest.isPresent()) {
      return newest.get();
    }
    Ike standIn = new Ike(0, name, "NONE", new ArrayList<>());
    ikes.put(-ikes.size() - 1L, standIn);
    return standIn;
  }

  /** A byte counter: Libreswan's are unsigned 64-bit, so one past a long's range stays at its top. */
  private static long counter(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static String shortState(String state) {
    return state.startsWith("STATE_") ? state.substring("STATE_".length()) : state;
  }

  private record Traffic(String name, long in, long out) {}

  private record Child(long serial, String name, String state, long parent) {}

  private record Ike(long serial, String name, String state, List<ChildSa> children) {}
}
