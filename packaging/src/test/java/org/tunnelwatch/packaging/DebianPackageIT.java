package org.tunnelwatch.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.Prerequisites;

/**
 * The .deb as an operator meets it: lintian, then install on this machine, run the launcher,
 * check the unit with systemd-analyze, remove, purge, and nothing left behind. The machine is
 * left as it was found, also when an assertion fails: the package is purged and the user, group
 * and directories it may have left are removed in {@link #restoreTheMachine()}. Test runs on one
 * machine (two checkouts building at once) take turns through {@link #MACHINE_LOCK}: they would
 * otherwise install and purge the same package under each other.
 *
 * <p>Refuses to run (skips, or fails under CI=true) where tunnelwatch is already installed or its
 * user exists: those belong to someone else.
 */
class DebianPackageIT {

  private static final Path TARGET = Path.of(System.getProperty("tunnelwatch.packaging.target", "target"));
  private static final Path UNIT_SOURCE = Path.of(System.getProperty("tunnelwatch.unit", "../systemd/tunnelwatch.service"));
  private static final String DEB_VERSION = System.getProperty("tunnelwatch.deb.version", "");
  private static final double MAX_EXPOSURE = 3.0;

  /** Everything the package or its scripts create; none may exist after a purge. */
  private static final List<String> FOOTPRINT =
      List.of(
          "/usr/share/tunnelwatch", "/usr/bin/tunnelwatch", "/usr/share/lintian/overrides/tunnelwatch", "/etc/tunnelwatch", "/etc/default/tunnelwatch", "/var/lib/tunnelwatch",
          "/lib/systemd/system/tunnelwatch.service", "/usr/share/man/man1/tunnelwatch.1.gz",
          "/usr/share/man/man1/tunnelwatch-run.1.gz", "/usr/share/man/man1/tunnelwatch-check-config.1.gz",
          "/usr/share/man/man1/tunnelwatch-probe.1.gz", "/usr/share/man/man1/tunnelwatch-status.1.gz",
          "/usr/share/man/man1/tunnelwatch-discover.1.gz", "/usr/share/doc/tunnelwatch",
          "/etc/systemd/system/tunnelwatch.service", "/etc/systemd/system/multi-user.target.wants/tunnelwatch.service",
          "/var/lib/systemd/deb-systemd-helper-enabled/tunnelwatch.service.dsh-also",
          "/var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/tunnelwatch.service",
          "/var/lib/systemd/deb-systemd-helper-masked/tunnelwatch.service", "/var/cache/tunnelwatch");

  private static final String ARCHIVE = "/var/cache/tunnelwatch/tunnelwatch.jsa";
  /**
   * What -Xlog:class+load says of a class mapped from a class-data archive; of the agent's own
   * classes, only tunnelwatch's archive can hold them.
   */
  private static final String FROM_THE_ARCHIVE = "source: shared objects file";

  /** Held while a test may look at or change the machine's tunnelwatch install. */
  private static final Path MACHINE_LOCK = Path.of("/tmp/tunnelwatch-debian-package-it.lock");

  private boolean touched;
  private FileChannel lockFile;
  private FileLock machine;

  /** Waits for any other run of these tests on this machine, then holds the machine. */
  @BeforeEach
  void takeTheMachine() throws IOException {
    lockFile = FileChannel.open(MACHINE_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    machine = lockFile.lock();
  }

  private record Result(int exit, String output) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    return run(Map.of(), command);
  }

  private static Result run(Map<String, String> environment, String... command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process p = builder.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish in 5 minutes");
    }
    return new Result(p.exitValue(), out);
  }

  private static Result ok(String... command) throws IOException, InterruptedException {
    return ok(Map.of(), command);
  }

  private static Result ok(Map<String, String> environment, String... command) throws IOException, InterruptedException {
    Result r = run(environment, command);
    assertThat(r.exit()).as(String.join(" ", command) + " said:\n" + r.output()).isZero();
    return r;
  }

  private static boolean exists(String path) {
    return Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS);
  }

  private static boolean installed() throws IOException, InterruptedException {
    return run("dpkg-query", "-W", "-f=${db:Status-Status}", "tunnelwatch").output().strip().equals("installed")
        || run("dpkg-query", "-W", "-f=${db:Status-Status}", "tunnelwatch").output().strip().equals("config-files");
  }

  private static boolean userOrGroupExists() throws IOException, InterruptedException {
    return run("getent", "passwd", "tunnelwatch").exit() == 0 || run("getent", "group", "tunnelwatch").exit() == 0;
  }

  private static Path deb() throws IOException {
    try (Stream<Path> files = Files.list(TARGET)) {
      return files.filter(f -> f.getFileName().toString().matches("tunnelwatch_.*_all\\.deb")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no tunnelwatch_*_all.deb in " + TARGET));
    }
  }

  private void requireAMachineToInstallOn() throws IOException, InterruptedException {
    List<String> missing = new ArrayList<>();
    if (!Prerequisites.isRoot()) {
      missing.add("root (dpkg -i)");
    }
    for (String program : List.of("/usr/bin/dpkg", "/usr/bin/lintian", "/usr/bin/systemd-analyze", "/usr/sbin/adduser", "/usr/bin/deb-systemd-helper", "/usr/bin/java")) {
      if (!Files.isExecutable(Path.of(program))) {
        missing.add(program);
      }
    }
    if (missing.isEmpty()) {
      if (installed()) {
        missing.add("a machine without tunnelwatch installed (dpkg -P tunnelwatch first; this test will not touch an operator's install)");
      } else if (userOrGroupExists()) {
        missing.add("a machine without a tunnelwatch user or group (they belong to someone else here)");
      } else {
        for (String path : FOOTPRINT) {
          if (exists(path)) {
            missing.add("a machine without " + path + " (it belongs to someone else here)");
          }
        }
      }
    }
    Prerequisites.require(missing);
  }

  @AfterEach
  void restoreTheMachine() throws Exception {
    try {
      if (touched) {
        uninstallEverything();
      }
    } finally {
      machine.release();
      lockFile.close();
    }
  }

  private static void uninstallEverything() throws IOException, InterruptedException {
    if (installed()) {
      run("dpkg", "--purge", "tunnelwatch");
    }
    run("deluser", "--quiet", "--system", "tunnelwatch");
    run("delgroup", "--quiet", "--system", "tunnelwatch");
    for (String path : FOOTPRINT) {
      run("rm", "-rf", path);
    }
  }

  /** Pedantic and informational tags too; the ones that stay are overridden with a reason (src/deb/lintian). */
  @Test
  void lintianPedanticReportsNothingUnexplained() throws Exception {
    requireAMachineToInstallOn();
    Result lintian = run("lintian", "--pedantic", "-I", "--tag-display-limit", "0", deb().toString());
    System.out.println("lintian --pedantic -I:\n" + lintian.output());
    assertThat(lintian.output().lines().filter(l -> l.matches("^[EWIPX]: .*"))).isEmpty();
    assertThat(lintian.exit()).as(lintian.output()).isZero();
  }

  @Test
  void theUnitVerifiesAndScoresAtMostThree() throws Exception {
    requireAMachineToInstallOn();
    Result security = ok("systemd-analyze", "security", "--offline=true", "--no-pager", UNIT_SOURCE.toString());
    Matcher score = Pattern.compile("Overall exposure level for tunnelwatch.service: (\\d+\\.\\d+)").matcher(security.output());
    assertThat(score.find()).as(security.output()).isTrue();
    System.out.println("systemd-analyze security --offline=true: " + score.group(1));
    assertThat(Double.parseDouble(score.group(1))).isLessThanOrEqualTo(MAX_EXPOSURE);
  }

  /**
   * The rules and dashboards are the repository's (generated from the mixin), the runbook their
   * runbook_url points at is where the mixin's default says, and the example web configuration
   * passes check-config once its certificate and key exist.
   */
  private static void theMonitoringFilesAndExamplesAreInstalled() throws Exception {
    Path repo = Path.of(System.getProperty("tunnelwatch.repo", ".."));
    assertThat(Files.readString(Path.of("/usr/share/tunnelwatch/prometheus/tunnelwatch.rules.yml")))
        .isEqualTo(Files.readString(repo.resolve("prometheus/rules/tunnelwatch.rules.yml")))
        .contains("runbook_url: \"file:///usr/share/doc/tunnelwatch/runbook.md#");
    for (String dashboard : List.of("tunnelwatch-fleet.json", "tunnelwatch-gateway.json")) {
      assertThat(Files.readString(Path.of("/usr/share/tunnelwatch/grafana/" + dashboard)))
          .isEqualTo(Files.readString(repo.resolve("grafana/dashboards/" + dashboard)));
    }
    assertThat(Files.readString(Path.of("/usr/share/doc/tunnelwatch/runbook.md"))).contains("\n## TunnelwatchTunnelDown\n");
    for (String example : List.of("alertmanager.yml", "prometheus.yml", "web.yml")) {
      assertThat(exists("/usr/share/doc/tunnelwatch/examples/" + example)).as(example).isTrue();
    }

    Path dir = Files.createTempDirectory("tunnelwatch-web-example");
    try {
      Files.copy(Path.of("/usr/share/doc/tunnelwatch/examples/web.yml"), dir.resolve("web.yml"));
      Files.createDirectory(dir.resolve("tls"));
      ok("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
          "-subj", "/CN=tunnelwatch.example", "-keyout", dir.resolve("tls/tunnelwatch.key").toString(),
          "-out", dir.resolve("tls/tunnelwatch.crt").toString());
      Path config = dir.resolve("tunnelwatch.yml");
      Files.writeString(config, Files.readString(Path.of("/etc/tunnelwatch/tunnelwatch.yml")) + "\nweb-config: " + dir.resolve("web.yml") + "\n");
      assertThat(ok("tunnelwatch", "check-config", config.toString()).output()).contains(config + ": valid");
    } finally {
      run("rm", "-rf", dir.toString());
    }
  }

  /**
   * The man pages were generated from the picocli model at build time: every subcommand has a
   * page, tunnelwatch(1) lists them all, and man renders each without a warning.
   */
  private static void theManPagesAreTheCommandModels() throws Exception {
    for (String command : List.of("run", "check-config", "probe", "status", "discover")) {
      Result page = ok("man", "--warnings", "-l", "/usr/share/man/man1/tunnelwatch-" + command + ".1.gz");
      assertThat(page.output()).as(command).contains("tunnelwatch " + command).doesNotContain("warning");
    }
    Result main = ok("man", "--warnings", "-l", "/usr/share/man/man1/tunnelwatch.1.gz");
    assertThat(main.output()).doesNotContain("warning").contains("discover", "check-config", "FILES", "runbook.md");
    // What --help says of an option is what the page says of it.
    String help = ok("tunnelwatch", "run", "--help").output();
    String runPage = ok("man", "-l", "/usr/share/man/man1/tunnelwatch-run.1.gz").output();
    for (String option : List.of("--config", "--log.level")) {
      assertThat(help).contains(option);
      assertThat(runPage).contains(option);
    }
  }

  /** The unit starts one JVM: no check-config of its own before the agent (run refuses as it does). */
  @Test
  void theUnitStartsOneJvm() throws Exception {
    List<String> exec = Files.readAllLines(UNIT_SOURCE).stream().filter(l -> l.startsWith("Exec")).toList();
    assertThat(exec).noneMatch(l -> l.startsWith("ExecStartPre=") || l.startsWith("ExecStartPost="));
    assertThat(exec.stream().filter(l -> l.startsWith("ExecStart="))).containsExactly(
        "ExecStart=/usr/bin/tunnelwatch run --config /etc/tunnelwatch/tunnelwatch.yml $TUNNELWATCH_OPTS");
    assertThat(exec).contains("ExecReload=/bin/kill -HUP $MAINPID");
  }

  /** With TUNNELWATCH_JAVA_OPTS="-Xlog:class+load": how many of the agent's classes the launcher's JVM mapped from the archive. */
  private static long classesFromTheArchive() throws Exception {
    return fromTheArchive(classLoadLog(), "org.tunnelwatch.");
  }

  /** The lines of {@code tunnelwatch --version} under TUNNELWATCH_JAVA_OPTS="-Xlog:class+load". */
  private static List<String> classLoadLog() throws Exception {
    Result version = ok(Map.of("TUNNELWATCH_JAVA_OPTS", "-Xlog:class+load"), "tunnelwatch", "--version");
    assertThat(version.output()).contains("tunnelwatch, version");
    return version.output().lines().toList();
  }

  /** How many classes whose names start with {@code prefix} the log says came from the archive. */
  private static long fromTheArchive(List<String> classLoadLog, String prefix) {
    return classLoadLog.stream().filter(l -> l.contains(" " + prefix) && l.contains(FROM_THE_ARCHIVE)).count();
  }

  /**
   * postinst built the class-data sharing archive for this jar and JVM and the launcher maps it.
   * A truncated archive (which JDK 17 would crash on), one the JVM refuses although its stamp
   * matches, and a stamp of another JVM build all leave a launcher that starts, only without the
   * archive; the JDK trigger builds it again.
   */
  private static void theClassArchiveIsBuiltAndUsedAndADamagedOneCostsOnlySpeed() throws Exception {
    assertThat(exists(ARCHIVE)).as("postinst built " + ARCHIVE).isTrue();
    List<String> loaded = classLoadLog();
    assertThat(fromTheArchive(loaded, "org.tunnelwatch.")).as("the agent's classes come from the archive").isGreaterThan(10);
    // A static archive: picocli's Java 5 class files too, which a dynamic one leaves out.
    assertThat(fromTheArchive(loaded, "picocli.")).as("picocli's classes come from the archive").isGreaterThan(10);
    Path archive = Path.of(ARCHIVE);
    Path stamp = Path.of(ARCHIVE + ".stamp");
    byte[] whole = Files.readAllBytes(archive);
    String goodStamp = Files.readString(stamp);

    ok("truncate", "-s", Integer.toString(whole.length / 2), ARCHIVE);
    assertThat(classesFromTheArchive()).as("a truncated archive is not used").isZero();

    // Bytes the JVM refuses, with a stamp that matches them: the JVM's own check.
    byte[] foreign = new byte[whole.length];
    new java.util.Random(18).nextBytes(foreign);
    Files.write(archive, foreign);
    ok("sh", "-c", ". /usr/share/tunnelwatch/class-archive.sh && tunnelwatch_class_archive_stamp " + ARCHIVE
        + " /usr/share/tunnelwatch/tunnelwatch.jar > " + stamp);
    assertThat(classesFromTheArchive()).as("an archive the JVM refuses is not used").isZero();

    // The whole archive again, but the stamp of another JVM build (a JDK upgrade not yet followed by the trigger).
    Files.write(archive, whole);
    Files.writeString(stamp, goodStamp.replaceFirst(":(\\d+)\\s*$", ":1\n"));
    assertThat(classesFromTheArchive()).as("an archive of another JVM build is not used").isZero();

    // The trigger that a JDK package's files under /usr/lib/jvm fire (control file triggers).
    assertThat(ok("dpkg-deb", "-I", deb().toString(), "triggers").output()).contains("interest-noawait /usr/lib/jvm");
    ok("/var/lib/dpkg/info/tunnelwatch.postinst", "triggered", "/usr/lib/jvm");
    assertThat(classesFromTheArchive()).as("rebuilt by the trigger").isGreaterThan(10);
  }

  @Test
  void installsRunsRemovesAndPurgesWithoutATrace() throws Exception {
    requireAMachineToInstallOn();
    touched = true;

    ok("dpkg", "--install", deb().toString());

    assertThat(ok("tunnelwatch", "--version").output()).startsWith("tunnelwatch, version " + DEB_VERSION.replace('~', '-'));
    assertThat(ok("tunnelwatch", "check-config", "/etc/tunnelwatch/tunnelwatch.yml").output())
        .contains("/etc/tunnelwatch/tunnelwatch.yml: valid");
    assertThat(ok("dpkg-query", "-W", "-f=${Conffiles}", "tunnelwatch").output()).contains("/etc/tunnelwatch/tunnelwatch.yml");
    // Verified where it is installed, so that the commands and the man page it names are there.
    Result verify = ok("systemd-analyze", "verify", "/lib/systemd/system/tunnelwatch.service");
    assertThat(verify.output()).isEmpty();
    assertThat(ok("getent", "passwd", "tunnelwatch").output()).contains(":/var/lib/tunnelwatch:/usr/sbin/nologin");
    PosixFileAttributes state = Files.readAttributes(Path.of("/var/lib/tunnelwatch"), PosixFileAttributes.class);
    assertThat(state.owner().getName()).isEqualTo("root");
    assertThat(state.group().getName()).isEqualTo("tunnelwatch");
    assertThat(exists("/etc/systemd/system/multi-user.target.wants/tunnelwatch.service")).as("enabled").isTrue();
    theMonitoringFilesAndExamplesAreInstalled();
    theManPagesAreTheCommandModels();
    theClassArchiveIsBuiltAndUsedAndADamagedOneCostsOnlySpeed();

    ok("dpkg", "--remove", "tunnelwatch");
    assertThat(exists("/usr/bin/tunnelwatch")).isFalse();
    assertThat(exists("/var/cache/tunnelwatch")).as("the class archive goes with its jar").isFalse();
    assertThat(exists("/etc/tunnelwatch/tunnelwatch.yml")).as("a conffile stays until purge").isTrue();
    assertThat(exists("/var/lib/tunnelwatch")).as("state stays until purge").isTrue();

    ok("dpkg", "--purge", "tunnelwatch");
    assertThat(FOOTPRINT.stream().filter(DebianPackageIT::exists)).isEmpty();
    // Debian practice: a purged package's system user stays, so that its uid is not reused
    // for files it may still own (restoreTheMachine removes it after the test).
    assertThat(ok("getent", "passwd", "tunnelwatch").output()).as("user kept on purge").contains("tunnelwatch:");
    assertThat(ok("getent", "group", "tunnelwatch").output()).as("group kept on purge").contains("tunnelwatch:");
    assertThat(run("dpkg-query", "-W", "tunnelwatch").exit()).as("dpkg forgot the package").isNotZero();
  }
}
