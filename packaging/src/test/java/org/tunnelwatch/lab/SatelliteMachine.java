package org.tunnelwatch.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A lab whose satellite is a whole machine ({@code tw-lab up NAME --machine}): a real systemd
 * booted as PID 1 in the satellite's network namespace, on a throwaway overlay of this host's
 * root, with strongswan.service running the satellite's charon. Commands run inside it with
 * {@code tw-lab machine}; its files are reached at {@code /proc/PID/root}.
 *
 * <p>{@link #close()} tears the lab down (its PID 1 is killed by pid, which ends everything in
 * the machine); a JVM shutdown hook does the same if the test run is killed first.
 */
final class SatelliteMachine implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  final Lab lab;
  private final long pid;
  private final Thread teardownOnExit;

  private SatelliteMachine(Lab lab, long pid) {
    this.lab = lab;
    this.pid = pid;
    this.teardownOnExit = new Thread(lab::close, "tear down lab " + lab.name);
    Runtime.getRuntime().addShutdownHook(teardownOnExit);
  }

  /** Boots the machine with the tunnel to the hub established, or fails having left nothing. */
  static SatelliteMachine boot() {
    Lab lab = Lab.up("--machine");
    try {
      return new SatelliteMachine(lab, Long.parseLong(lab.env.get("TW_MACHINE_PID")));
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  /** Runs a command inside the machine; its exit code and merged output. */
  Lab.Result exec(String... argv) {
    List<String> command = new ArrayList<>(List.of(Lab.REPO.resolve("lab/tw-lab").toString(), "machine", lab.name));
    command.addAll(List.of(argv));
    return Lab.run(command);
  }

  /** Runs a command inside the machine that must succeed; its output. */
  String ok(String... argv) {
    Lab.Result result = exec(argv);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " failed in the machine (" + result.exitCode() + "):\n" + result.output());
    }
    return result.output();
  }

  /** A path inside the machine, as the host reaches it. */
  Path file(String pathInside) {
    return Path.of("/proc/" + pid + "/root" + pathInside);
  }

  void write(String pathInside, String text) {
    try {
      Files.createDirectories(file(pathInside).getParent());
      Files.writeString(file(pathInside), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String read(String pathInside) {
    try {
      return Files.readString(file(pathInside));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code dpkg OPTIONS -i PACKAGE} inside the machine, non-interactively (no terminal, stdin closed). */
  String dpkgInstall(Path deb, String... options) {
    String inside = "/var/tmp/" + deb.getFileName();
    try {
      Files.copy(deb, file(inside), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> argv = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "dpkg"));
    argv.addAll(List.of(options));
    argv.addAll(List.of("-i", inside));
    return ok(argv.toArray(String[]::new));
  }

  /** One property of a unit, as {@code systemctl show -p NAME --value} gives it. */
  String show(String unit, String property) {
    return ok("systemctl", "show", "-p", property, "--value", unit).strip();
  }

  /**
   * The host's pid of a unit's main process (MainPID is the machine's own numbering): of the
   * processes in the satellite's network namespace, the one whose pid inside the machine's pid
   * namespace is MainPID.
   */
  long hostPid(String unit) {
    String mainPid = show(unit, "MainPID");
    Lab.Result pids = Lab.run(List.of("ip", "netns", "pids", lab.satNamespace()));
    for (String candidate : pids.output().split("\\s+")) {
      try {
        // NSpid: its pid here, then in each nested pid namespace.
        String[] nspid = Files.readAllLines(Path.of("/proc/" + candidate + "/status")).stream()
            .filter(l -> l.startsWith("NSpid:")).findFirst().orElse("NSpid:").split("\\s+");
        if (nspid.length == 3 && nspid[2].equals(mainPid)) {
          return Long.parseLong(candidate);
        }
      } catch (IOException | RuntimeException goneOrNotAPid) {
        // A process that ended meanwhile, or an empty field: not the one.
      }
    }
    throw new IllegalStateException("no main process (" + mainPid + ") of " + unit + " in " + lab.satNamespace());
  }

  /** The machine's journal entries ({@code journalctl -o json ARGS}), oldest first. */
  List<JsonNode> journal(String... args) {
    List<String> argv = new ArrayList<>(List.of("journalctl", "--no-pager", "-o", "json"));
    argv.addAll(List.of(args));
    List<JsonNode> entries = new ArrayList<>();
    for (String line : ok(argv.toArray(String[]::new)).split("\n")) {
      if (line.startsWith("{")) {
        try {
          entries.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return entries;
  }

  /** The messages of a unit's journal entries, oldest first. */
  List<String> messages(String unit) {
    return journal("-u", unit).stream().map(e -> e.path("MESSAGE").asText()).toList();
  }

  @Override
  public void close() {
    lab.close();
    try {
      Runtime.getRuntime().removeShutdownHook(teardownOnExit);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook runs anyway; tearing down twice is harmless.
    }
  }
}
