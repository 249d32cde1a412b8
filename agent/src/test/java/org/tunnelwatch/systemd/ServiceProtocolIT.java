package org.tunnelwatch.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.tunnelwatch.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.LoopbackTunnels;

/**
 * The packaged agent as systemd runs it: {@code NOTIFY_SOCKET} pointing at a datagram socket
 * this test binds (an abstract name, as systemd's own is not), {@code WATCHDOG_USEC} set, and
 * real signals ({@code kill -HUP}, {@code kill -TERM}) for reload and stop.
 */
class ServiceProtocolIT {

  private static final Path JAR = Path.of(System.getProperty("tunnelwatch.jar", "target/tunnelwatch.jar")).toAbsolutePath();
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private Process agent;
  private Path log;

  @AfterEach
  void stop() throws Exception {
    if (agent != null && agent.isAlive()) {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (log != null) {
      System.out.println("---- agent log\n" + Files.readString(log));
    }
  }

  private String config(int port, String... tunnels) {
    return LoopbackTunnels.yaml("127.0.0.1:" + port, dir.resolve("state"), tunnels);
  }

  private String scrape(int port) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String value(String scrape, String series) {
    return Arrays.stream(scrape.split("\n")).filter(l -> l.startsWith(series + " ")).map(l -> l.substring(series.length() + 1)).findFirst().orElse("absent");
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(agent.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  @Test
  void notifiesReadyStatusAndWatchdogReloadsOnHangupAndSaysStopping() throws Exception {
    int port = FreePorts.any();
    Path file = dir.resolve("tunnelwatch.yml");
    Files.writeString(file, config(port, "alpha"));
    log = dir.resolve("agent.log");
    try (NotifyReceiver manager = NotifyReceiver.bind("@tunnelwatch-it-" + UUID.randomUUID())) {
      ProcessBuilder builder =
          new ProcessBuilder(List.of("java", "-jar", JAR.toString(), "run", "--config", file.toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("NOTIFY_SOCKET", manager.notifySocket);
      builder.environment().put("WATCHDOG_USEC", "2000000");
      agent = builder.start();

      assertThat(manager.awaitLine("READY=1", WAIT)).hasValueSatisfying(m -> assertThat(m).contains("STATUS=0/1 tunnels up"));
      assertThat(manager.awaitLine("WATCHDOG=1", WAIT)).isPresent();
      assertThat(value(scrape(port), "tunnelwatch_config_last_reload_successful")).isEqualTo("1.0");

      // A valid new file: two tunnels, the same listener.
      Files.writeString(file, config(port, "alpha", "beta"));
      signal("HUP");
      assertThat(manager.awaitLine("RELOADING=1", WAIT)).isPresent();
      assertThat(manager.awaitLine("READY=1", WAIT)).hasValueSatisfying(m -> assertThat(m).contains("/2 tunnels up"));
      assertThat(scrape(port)).contains("tunnelwatch_tunnel_up{tunnel=\"beta\"}");
      assertThat(manager.awaitLine("WATCHDOG=1", WAIT)).as("the new generation feeds the watchdog").isPresent();

      // An invalid one: logged line by line, the old configuration keeps working.
      Files.writeString(file, config(port, "alpha", "gamma").replace("interval: 1s", "interval: soon"));
      signal("HUP");
      assertThat(manager.awaitLine("READY=1", WAIT)).isPresent();
      String scrape = scrape(port);
      assertThat(value(scrape, "tunnelwatch_config_last_reload_successful")).isEqualTo("0.0");
      assertThat(scrape).contains("tunnelwatch_tunnel_up{tunnel=\"beta\"}").doesNotContain("tunnel=\"gamma\"");
      await().atMost(WAIT).until(() -> Files.readString(log).contains(file + ":5:23: defaults.interval: must be a duration"));
      assertThat(agent.isAlive()).isTrue();

      signal("TERM");
      assertThat(manager.awaitLine("STOPPING=1", WAIT)).isPresent();
      assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // The JVM exits 128+15 after its shutdown hooks; the unit lists it in SuccessExitStatus=.
      assertThat(agent.exitValue()).isEqualTo(143);
    }
  }

  /**
   * Started the way {@code nohup} starts a program, with SIGHUP ignored: the ignoring is
   * inherited, and without the agent undoing it the JVM would never hand a SIGHUP over, so that
   * every reload would be lost without a word.
   */
  @Test
  void reloadsOnHangupEvenWhenItsParentIgnoredTheSignal() throws Exception {
    int port = FreePorts.any();
    Path file = dir.resolve("tunnelwatch.yml");
    Files.writeString(file, config(port, "alpha"));
    log = dir.resolve("agent.log");
    String java = "trap '' HUP; exec java -jar '" + JAR + "' run --config '" + file + "'";
    agent = new ProcessBuilder("sh", "-c", java).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    await().atMost(WAIT).ignoreExceptions().until(() -> scrape(port).contains("tunnel=\"alpha\""));
    assertThat(Files.readString(log)).contains("SIGHUP was ignored by the process that started the agent");

    Files.writeString(file, config(port, "alpha", "beta"));
    signal("HUP");

    await("reloaded").atMost(WAIT).ignoreExceptions().until(() -> scrape(port).contains("tunnel=\"beta\""));
    assertThat(agent.isAlive()).isTrue();
  }
}
