package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * A {@code dual-hub} or {@code dual-uplink} lab (lab/lib/dualhub.sh) seen as two paths, "a" (the
 * primary: hub-a, or the fibre uplink) and "b": each path's CHILD SA {@code net-a}/{@code net-b}
 * with identical selectors, its probe CHILD SA and probe source address, and the central host
 * behind both. The operations are the swanctl calls the agent makes, so that the lab ITs show
 * what charon does with them.
 */
final class DualHubLab {

  /** What can happen to a hub (tw-lab's gateway "hub" for hub-a, "hub2" for hub-b). */
  enum HubFault {
    CRASH,
    CLEAN_STOP,
    WAN_CUT,
    DATA_PLANE_DEAD;

    void inflict(Lab lab, String hub) {
      switch (this) {
        case CRASH -> lab.gateway("kill", hub);
        case CLEAN_STOP -> lab.gateway("stop", hub);
        case WAN_CUT -> lab.fault("cut", "--hub", hub);
        case DATA_PLANE_DEAD -> lab.fault("dataplane", "--hub", hub);
      }
    }

    void heal(Lab lab, String hub) {
      switch (this) {
        case CRASH, CLEAN_STOP -> lab.gateway("start", hub);
        case WAN_CUT, DATA_PLANE_DEAD -> lab.heal();
      }
    }

    /** Every fault, each with make_before_break yes and with strongSwan's stock setting. */
    static Stream<Arguments> withBothMakeBeforeBreakSettings() {
      return Stream.of(values()).flatMap(f -> Stream.of(Arguments.of(f, "yes"), Arguments.of(f, "no")));
    }
  }

  final Lab lab;

  DualHubLab(Lab lab) {
    this.lab = lab;
  }

  static DualHubLab up(String topology, String makeBeforeBreak) {
    return new DualHubLab(Lab.up("--topology", topology, "--mbb", makeBeforeBreak));
  }

  String central() {
    return lab.env.get("TW_CENTRAL");
  }

  String ike(String path) {
    return lab.env.get("TW_" + path.toUpperCase() + "_IKE");
  }

  String child(String path) {
    return lab.env.get("TW_" + path.toUpperCase() + "_CHILD");
  }

  String probeChild(String path) {
    return lab.env.get("TW_" + path.toUpperCase() + "_PROBE_CHILD");
  }

  /** The probe source address of a path: its echoes cross that path only. */
  String source(String path) {
    return lab.env.get("TW_" + path.toUpperCase() + "_SOURCE");
  }

  /** The hub gateway (tw-lab name) that terminates a path. */
  String hub(String path) {
    return lab.env.get("TW_" + path.toUpperCase() + "_HUB");
  }

  /** One echo from the satellite LAN address to the central host. */
  boolean lanTrafficFlows() {
    return lab.trafficFlows("sat", central(), lab.env.get("TW_SAT_LAN"));
  }

  /** One echo from a path's probe source to the central host. */
  boolean probeAnswered(String path) {
    return lab.trafficFlows("sat", central(), source(path));
  }

  /**
   * Makes a path carry the LAN's traffic: its CHILD SA terminated (if there is one) and initiated
   * again, so that it is installed last on the satellite and its hub's updown moves the return
   * route. An initiate alone of an installed CHILD SA does nothing (docs/failover.md).
   */
  void carryOn(String path) {
    if (installed(path, child(path))) {
      lab.swanctl("sat", "--terminate", "--ike", ike(path), "--child", child(path), "--timeout", "3");
    }
    initiate(path, child(path));
  }

  void initiate(String path, String child) {
    lab.swanctl("sat", "--initiate", "--ike", ike(path), "--child", child, "--timeout", "5");
  }

  /** Brings a path's IKE SA back after its hub returned: forced terminate, then its probe child. */
  void restartIke(String path) {
    dropIke(path);
    initiate(path, probeChild(path));
  }

  /**
   * Drops a path's IKE SA and its CHILD SAs without waiting for the peer (a DELETE is sent, the
   * answer not awaited); swanctl's exit code is not looked at, the SA is gone either way.
   */
  void dropIke(String path) {
    swanctlResult("--terminate", "--ike", ike(path), "--force", "--timeout", "2");
  }

  /** swanctl on the satellite, its exit code and output as they are (no exception on failure). */
  Lab.Result swanctlResult(String... args) {
    List<String> argv = new ArrayList<>(List.of(Lab.REPO.resolve("lab/tw-lab").toString(), "swanctl", lab.name, "sat"));
    argv.addAll(List.of(args));
    return Lab.run(argv);
  }

  /** Packets sent through a CHILD SA of a path on the satellite (0 when it is not installed). */
  long outPackets(String path, String child) {
    String out = lab.swanctl("sat", "--list-sas", "--ike", ike(path), "--child", child);
    Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(child) + ": #\\d+, .*INSTALLED.*\\n(?:    .*\\n)*?    out [0-9a-f]{8},\\s+\\d+ bytes,\\s+(\\d+) packets").matcher(out);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  boolean installed(String path, String child) {
    return lab.swanctl("sat", "--list-sas", "--ike", ike(path), "--child", child).lines()
        .anyMatch(l -> l.startsWith("  " + child + ": #") && l.contains("INSTALLED"));
  }

  /** Which path central's route to the satellite LAN points at (dual-hub): "a", "b" or "none". */
  String returnPath() {
    String status = Lab.twLab("status", lab.name);
    Matcher m = Pattern.compile("central return route: via path (\\w+)").matcher(status);
    assertThat(m.find()).as("return route in:\n%s", status).isTrue();
    return m.group(1);
  }

  /** Which path's CHILD SA the next LAN echoes leave through: the one whose counter moves. */
  String outboundPath() {
    long a = outPackets("a", child("a"));
    long b = outPackets("b", child("b"));
    for (int i = 0; i < 3; i++) {
      lanTrafficFlows();
    }
    boolean viaA = outPackets("a", child("a")) > a;
    boolean viaB = outPackets("b", child("b")) > b;
    return viaA == viaB ? (viaA ? "both" : "none") : (viaA ? "a" : "b");
  }
}
