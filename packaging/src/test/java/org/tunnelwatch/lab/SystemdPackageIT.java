package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package's life on a gateway, under a real systemd: {@code dpkg -i} enables and starts the
 * unit, an upgrade keeps the operator's edit and the remediation history and restarts the agent
 * once, a purge stops it and leaves nothing behind but the system user and group. Everything
 * happens inside the machine; the host's dpkg database and files stay as they were.
 */
class SystemdPackageIT extends MachineScenario {

  /** Everything the package or its scripts create, as seen inside the machine. */
  private static final List<String> FOOTPRINT =
      List.of(
          "/usr/share/tunnelwatch", "/usr/bin/tunnelwatch", "/usr/share/lintian/overrides/tunnelwatch", "/etc/tunnelwatch", "/etc/default/tunnelwatch", "/var/lib/tunnelwatch",
          "/lib/systemd/system/tunnelwatch.service", "/usr/share/man/man1/tunnelwatch.1.gz",
          "/usr/share/man/man1/tunnelwatch-run.1.gz", "/usr/share/man/man1/tunnelwatch-check-config.1.gz",
          "/usr/share/man/man1/tunnelwatch-probe.1.gz", "/usr/share/man/man1/tunnelwatch-status.1.gz",
          "/usr/share/man/man1/tunnelwatch-discover.1.gz", "/usr/share/doc/tunnelwatch",
          "/etc/systemd/system/multi-user.target.wants/tunnelwatch.service",
          "/var/lib/systemd/deb-systemd-helper-enabled/tunnelwatch.service.dsh-also",
          "/var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/tunnelwatch.service",
          "/var/lib/systemd/deb-systemd-helper-masked/tunnelwatch.service", "/var/cache/tunnelwatch");

  @TempDir Path work;

  @Test
  void afterDpkgInstallTheUnitIsActiveWithItsStatusLineAndNeverRestarted() throws IOException {
    installAndWatch(config("swanctl", "", ""));

    assertThat(machine.show(UNIT, "ActiveState")).isEqualTo("active");
    assertThat(machine.show(UNIT, "UnitFileState")).isEqualTo("enabled");
    assertThat(machine.ok("systemctl", "status", "--no-pager", UNIT)).contains("Status: \"1/1 tunnels up\"");
    assertThat(machine.show(UNIT, "NRestarts")).isEqualTo("0");
    assertThat(machine.lab.trafficFlows()).isTrue();
    // postinst built the class-data sharing archive, and the agent's JVM maps it (a refused archive is unmapped).
    assertThat(Files.exists(machine.file("/var/cache/tunnelwatch/tunnelwatch.jsa"))).isTrue();
    assertThat(Files.readString(Path.of("/proc/" + machine.hostPid(UNIT) + "/maps"))).contains("/var/cache/tunnelwatch/tunnelwatch.jsa");
    // The host's own dpkg database never heard of it.
    assertThat(Lab.run(List.of("dpkg-query", "-W", "tunnelwatch")).exitCode()).isNotZero();
  }

  @Test
  void anUpgradeKeepsTheOperatorsEditAndTheHistoryAndRestartsTheAgentOnce() throws Exception {
    machine.dpkgInstall(olderPackage("0.0.9"));
    assertThat(machine.ok("dpkg-query", "-W", "-f=${Version}", "tunnelwatch")).isEqualTo("0.0.9");
    // The operator's edit of the conffile: the lab's tunnel instead of the packaged example.
    applyConfig(config("swanctl", "", "") + "# edited by the operator\n");
    // A repair, so that there is history: a clean hub restart leaves the satellite without SAs.
    machine.lab.gateway("stop", "hub");
    machine.lab.gateway("start", "hub");
    await("a repair recorded in the history").atMost(BOUND)
        .until(() -> Files.exists(machine.file("/var/lib/tunnelwatch/remedy-history.json")));
    awaitStatus("1/1 tunnels up");
    String history = machine.read("/var/lib/tunnelwatch/remedy-history.json");
    assertThat(history).contains(TUNNEL, "last-attempt");
    String mainPidBefore = machine.show(UNIT, "MainPID");
    long stopsBefore = stops();

    machine.dpkgInstall(builtDeb(), "--force-confdef", "--force-confold");

    assertThat(machine.ok("dpkg-query", "-W", "-f=${Version}", "tunnelwatch")).isEqualTo(System.getProperty("tunnelwatch.deb.version"));
    assertThat(machine.read(CONFIG)).endsWith("# edited by the operator\n");
    assertThat(Files.exists(machine.file(CONFIG + ".dpkg-dist"))).as("the package's new file set beside it").isTrue();
    awaitStatus("1/1 tunnels up");
    assertThat(machine.show(UNIT, "MainPID")).isNotEqualTo(mainPidBefore);
    assertThat(stops() - stopsBefore).as("stopped once for the upgrade").isEqualTo(1);
    assertThat(machine.read("/var/lib/tunnelwatch/remedy-history.json")).isEqualTo(history);
    assertThat(machine.show(UNIT, "NRestarts")).isEqualTo("0");
  }

  @Test
  void aPurgeStopsTheServiceAndLeavesOnlyTheSystemUserBehind() {
    installAndWatch(config("swanctl", "", ""));
    assertThat(machine.ok("getent", "passwd", "tunnelwatch")).contains("tunnelwatch");

    machine.ok("env", "DEBIAN_FRONTEND=noninteractive", "dpkg", "--purge", "tunnelwatch");

    assertThat(machine.show(UNIT, "ActiveState")).isEqualTo("inactive");
    assertThat(machine.exec("pgrep", "-f", "tunnelwatch.jar").exitCode()).as("no agent process left").isNotZero();
    assertThat(FOOTPRINT.stream().filter(p -> Files.exists(machine.file(p), java.nio.file.LinkOption.NOFOLLOW_LINKS))).isEmpty();
    // Debian practice: the system user and group stay, so that their ids are not reused.
    assertThat(machine.exec("getent", "passwd", "tunnelwatch").exitCode()).as("user kept").isZero();
    assertThat(machine.exec("getent", "group", "tunnelwatch").exitCode()).as("group kept").isZero();
    assertThat(machine.exec("dpkg-query", "-W", "tunnelwatch").exitCode()).as("dpkg forgot the package").isNotZero();
    assertThat(machine.exec("systemctl", "list-unit-files", "--no-legend", "tunnelwatch*").output()).doesNotContain("tunnelwatch");
  }

  /** How often the agent has said it was stopping, in this boot's journal. */
  private long stops() {
    return machine.messages(UNIT).stream().filter(m -> m.contains("signal received, shutting down")).count();
  }

  /**
   * The built package as an older release would have shipped it: the same files with an older
   * version number, and a conffile that differs from the new one, as it does between releases.
   */
  private Path olderPackage(String version) throws IOException, InterruptedException {
    Path tree = work.resolve("old");
    run("dpkg-deb", "-R", builtDeb().toString(), tree.toString());
    Path control = tree.resolve("DEBIAN/control");
    Files.writeString(control, Files.readString(control).replaceFirst("(?m)^Version: .*$", "Version: " + version));
    Path conffile = tree.resolve("etc/tunnelwatch/tunnelwatch.yml");
    Files.writeString(conffile, "# tunnelwatch " + version + "\n" + Files.readString(conffile));
    run("sh", "-c", "cd '" + tree + "' && find . -type f ! -path './DEBIAN/*' -printf '%P\\0' | xargs -0 md5sum > DEBIAN/md5sums");
    Path deb = work.resolve("tunnelwatch_" + version + "_all.deb");
    run("dpkg-deb", "--root-owner-group", "-b", tree.toString(), deb.toString());
    return deb;
  }

  private static void run(String... argv) throws IOException, InterruptedException {
    Lab.Result result = Lab.run(List.of(argv));
    if (result.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " failed:\n" + result.output());
    }
  }
}
