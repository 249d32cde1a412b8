package org.tunnelwatch.lab;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.tunnelwatch.Prerequisites;

/**
 * What every test of the package under a real systemd shares: its own satellite machine (see
 * {@link SatelliteMachine}) with the hub in its own namespace, the built .deb installed with
 * {@code dpkg -i} inside it, the agent configured in /etc/tunnelwatch/tunnelwatch.yml, and after
 * the test (also when it fails) the machine's journal of both services printed and everything
 * torn down. A machine boots in about two seconds, so each test has its own: none depends on
 * what another left behind.
 */
abstract class MachineScenario {

  static final String UNIT = "tunnelwatch.service";
  static final String CONFIG = "/etc/tunnelwatch/tunnelwatch.yml";
  static final String TUNNEL = "sg1-sgcentral";
  /** How long a repair or a restart may take here: generous, the machine may be busy. */
  static final Duration BOUND = Duration.ofSeconds(60);

  private static final Path TARGET = Path.of(System.getProperty("tunnelwatch.packaging.target", "target"));
  private static final List<String> PROGRAMS =
      List.of("/lib/systemd/systemd", "/usr/sbin/charon-systemd", "/usr/bin/nsenter", "/usr/bin/dpkg-deb", "/usr/bin/journalctl",
          "/usr/bin/strace", "/usr/bin/java", "/usr/bin/dbus-daemon");

  SatelliteMachine machine;

  @BeforeEach
  void bootTheMachine() {
    LabPrerequisites.require();
    List<String> missing = new ArrayList<>();
    for (String program : PROGRAMS) {
      if (!Files.isExecutable(Path.of(program))) {
        missing.add(program + (program.endsWith("charon-systemd") ? " (Debian package charon-systemd)" : ""));
      }
    }
    Prerequisites.require(missing);
    machine = SatelliteMachine.boot();
  }

  @AfterEach
  void tearDown(TestInfo test) {
    try {
      if (machine != null) {
        Lab.Result journal = machine.exec("journalctl", "--no-pager", "-u", UNIT, "-u", "strongswan.service", "-n", "300");
        System.out.println("---- journal of " + test.getDisplayName() + " (lab " + machine.lab.name + ")\n" + journal.output());
      }
    } finally {
      if (machine != null) {
        machine.close();
      }
    }
  }

  /** The package this build made. */
  static Path builtDeb() {
    try (Stream<Path> files = Files.list(TARGET)) {
      return files.filter(f -> f.getFileName().toString().matches("tunnelwatch_.*_all\\.deb")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no tunnelwatch_*_all.deb in " + TARGET + " (mvn package builds it)"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The agent's configuration for this machine: the satellite's tunnel, the given backend type,
   * the restart rung as on a gateway ({@code systemctl restart strongswan}), and the given tunnel
   * defaults and backend lines added.
   */
  String config(String backendType, String defaults, String backendLines) {
    return """
        listen: "127.0.0.1:9814"
        state-dir: /var/lib/tunnelwatch
        dry-run: false
        backend:
          type: %s
          uri: %s
          restart-service: "systemctl restart strongswan"
          timeout: 5s
          strongswan-conf: /etc/strongswan.conf
        %s
        uplinks:
          wan: { interface: wan0 }
        defaults:
          interval: 1s
          count: 3
          timeout: 500ms
          down-after: 3
          up-after: 2
          settle: 5s
        %s
        tunnels:
          - name: %s
            ike: %s
            child: %s
            source: %s
            targets: [%s]
            uplink: wan
        """
        .formatted(backendType, machine.lab.env.get("TW_SAT_VICI"), backendLines.indent(2).stripTrailing(),
            defaults.indent(2).stripTrailing(), TUNNEL, machine.lab.env.get("TW_IKE"), machine.lab.env.get("TW_CHILD"),
            machine.lab.env.get("TW_SAT_LAN"), machine.lab.env.get("TW_HUB_LAN"));
  }

  /**
   * Installs the built package, writes the configuration and restarts the unit (dpkg started it
   * with the package's default file, which watches no tunnel); returns once systemd reports it
   * watching the tunnel, up.
   */
  void installAndWatch(String configText) {
    machine.dpkgInstall(builtDeb());
    applyConfig(configText);
  }

  void applyConfig(String configText) {
    machine.write(CONFIG, configText);
    machine.ok("systemctl", "restart", UNIT);
    awaitStatus("1/1 tunnels up");
  }

  void awaitStatus(String statusLine) {
    await("systemd's STATUS of " + UNIT + ": " + statusLine).atMost(BOUND).pollInterval(Duration.ofMillis(500))
        .until(() -> machine.show(UNIT, "StatusText").equals(statusLine));
  }

  Scrape scrape() {
    return new Scrape(machine.lab.httpGet("http://127.0.0.1:9814/metrics"));
  }

  double remediations(String action, String result) {
    return scrape().sum("tunnelwatch_remediations_total", "action", action, "result", result);
  }
}
