package org.tunnelwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.tunnelwatch.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.LoopbackTunnels;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.config.ConfigLoader;
import org.tunnelwatch.config.ListenAddress;
import org.tunnelwatch.tunnel.TunnelStatus;

/**
 * The swap on reload, with a real agent on loopback: real HTTP, real scheduler, the probes going
 * to 127.0.0.1 (whether they succeed does not matter here). How surviving tunnels keep their
 * state is shown in {@code TunnelSupervisorTest}.
 */
class AgentReloadTest {

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private Agent agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private AgentConfig config(int port, String... tunnels) throws Exception {
    return new ConfigLoader().parse("test.yml", yaml(port, tunnels));
  }

  private String yaml(int port, String... tunnels) {
    return LoopbackTunnels.yaml("127.0.0.1:" + port, dir.resolve("state"), tunnels);
  }

  private String scrape(int port) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private List<String> tunnelNames() {
    return agent.statusReport().tunnels().stream().map(TunnelStatus::name).toList();
  }

  private static String line(String scrape, String series) {
    return Arrays.stream(scrape.split("\n")).filter(l -> l.startsWith(series + " ")).findFirst().orElse("(no " + series + ")");
  }

  @Test
  void tunnelsAreSwappedAndTheListenerStaysWhenListenIsUnchanged() throws Exception {
    int port = FreePorts.any();
    agent = Agent.start(config(port, "alpha", "beta"));

    assertThat(agent.reload(config(port, "beta", "gamma"))).isTrue();

    assertThat(agent.httpPort()).isEqualTo(port);
    assertThat(tunnelNames()).containsExactly("beta", "gamma");
    String scrape = scrape(port);
    assertThat(scrape).contains("tunnelwatch_tunnel_up{tunnel=\"gamma\"}").doesNotContain("tunnel=\"alpha\"");
    assertThat(line(scrape, "tunnelwatch_config_last_reload_successful")).isEqualTo("tunnelwatch_config_last_reload_successful 1.0");
  }

  @Test
  void hooksAddedByAReloadRunOnTheNextStateChangeAndAreCounted() throws Exception {
    int port = FreePorts.any();
    agent = Agent.start(config(port, "alpha"));
    Path heard = dir.resolve("heard.txt");
    Path hook = dir.resolve("hook.sh");
    Files.writeString(hook, "#!/bin/sh\necho \"$TUNNELWATCH_TUNNEL $TUNNELWATCH_PREVIOUS_STATE\" >> " + heard + "\n");
    Files.setPosixFilePermissions(hook, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    String hooks = "hooks:\n  - { name: record, command: [" + hook + "], tunnels: [beta] }\n";

    assertThat(agent.reload(new ConfigLoader().parse("test.yml", yaml(port, "alpha", "beta") + hooks))).isTrue();

    // beta leaves unknown after its first rounds (up or down: loopback answers as root only).
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> Files.exists(heard));
    assertThat(Files.readAllLines(heard)).first().isEqualTo("beta unknown");
    assertThat(scrape(port)).contains("tunnelwatch_hook_runs_total{hook=\"record\",result=\"ok\"}", "tunnelwatch_hook_dropped_total{hook=\"record\"} 0.0");
  }

  @Test
  void aChangedListenMovesTheEndpointsAndClosesTheOldListener() throws Exception {
    int before = FreePorts.any();
    int after = FreePorts.any();
    agent = Agent.start(config(before, "alpha"));

    assertThat(agent.reload(config(after, "alpha"))).isTrue();

    assertThat(agent.httpPort()).isEqualTo(after);
    assertThat(scrape(after)).contains("tunnelwatch_tunnel_up{tunnel=\"alpha\"}");
    assertThatThrownBy(() -> scrape(before)).isInstanceOf(ConnectException.class);
  }

  @Test
  void aListenAddressInUseFailsTheReloadAndTheOldConfigStays() throws Exception {
    int port = FreePorts.any();
    agent = Agent.start(config(port, "alpha"));
    try (ServerSocket taken = new ServerSocket(0)) {
      assertThat(agent.reload(config(taken.getLocalPort(), "alpha", "beta"))).isFalse();
    }

    assertThat(tunnelNames()).containsExactly("alpha");
    assertThat(agent.httpPort()).isEqualTo(port);
    assertThat(line(scrape(port), "tunnelwatch_config_last_reload_successful")).isEqualTo("tunnelwatch_config_last_reload_successful 0.0");
  }

  @Test
  void anInvalidFileIsRefusedAndTheOldConfigKeepsWorking() throws Exception {
    int port = FreePorts.any();
    agent = Agent.start(config(port, "alpha"));
    String stamp = line(scrape(port), "tunnelwatch_config_last_reload_success_timestamp_seconds");
    Path file = dir.resolve("tunnelwatch.yml");
    Files.writeString(file, yaml(port, "beta").replace("interval: 1s", "interval: soon"));

    assertThat(agent.reload(file)).isFalse();

    assertThat(tunnelNames()).containsExactly("alpha");
    String scrape = scrape(port);
    assertThat(line(scrape, "tunnelwatch_config_last_reload_successful")).isEqualTo("tunnelwatch_config_last_reload_successful 0.0");
    assertThat(line(scrape, "tunnelwatch_config_last_reload_success_timestamp_seconds")).isEqualTo(stamp);
  }

  @Test
  void aValidFileAfterAnInvalidOneSucceedsAndMovesTheTimestamp() throws Exception {
    int port = FreePorts.any();
    agent = Agent.start(config(port, "alpha"));
    Path file = dir.resolve("tunnelwatch.yml");
    Files.writeString(file, "tunnels: 3\n");
    assertThat(agent.reload(file)).isFalse();
    String stamp = line(scrape(port), "tunnelwatch_config_last_reload_success_timestamp_seconds");
    Thread.sleep(20); // the timestamp has millisecond resolution in the scrape; make sure it can move

    Files.writeString(file, yaml(port, "alpha", "beta"));
    assertThat(agent.reload(file)).isTrue();

    assertThat(tunnelNames()).containsExactly("alpha", "beta");
    String scrape = scrape(port);
    assertThat(line(scrape, "tunnelwatch_config_last_reload_successful")).isEqualTo("tunnelwatch_config_last_reload_successful 1.0");
    assertThat(line(scrape, "tunnelwatch_config_last_reload_success_timestamp_seconds")).isNotEqualTo(stamp);
  }

  @Test
  void anEditedWebConfigIsAppliedInPlaceWithTheTunnelChanges() throws Exception {
    int port = FreePorts.any();
    Path web = dir.resolve("web.yml");
    Files.writeString(web, "basic_auth_users:\n  prometheus: " + BCrypt.withDefaults().hashToString(4, "old".toCharArray()) + "\n");
    Path file = dir.resolve("tunnelwatch.yml");
    Files.writeString(file, "web-config: " + web + "\n" + yaml(port, "alpha"));
    agent = Agent.start(new ConfigLoader().load(file));

    Files.writeString(web, "basic_auth_users:\n  prometheus: " + BCrypt.withDefaults().hashToString(4, "new".toCharArray()) + "\n");
    Files.writeString(file, "web-config: " + web + "\n" + yaml(port, "alpha", "beta"));
    assertThat(agent.reload(file)).isTrue();

    assertThat(tunnelNames()).containsExactly("alpha", "beta");
    assertThat(agent.httpPort()).isEqualTo(port);
    assertThat(status(port, "prometheus:old")).isEqualTo(401);
    assertThat(status(port, "prometheus:new")).isEqualTo(200);

    Files.writeString(web, "tls_server_config:\n  cert_file: " + file + "\n  key_file: " + file + "\n");
    Files.writeString(file, "web-config: " + web + "\n" + yaml(port, "alpha"));
    assertThat(agent.reload(file)).isFalse(); // a web config that cannot work is refused with the rest

    assertThat(tunnelNames()).containsExactly("alpha", "beta");
    assertThat(status(port, "prometheus:new")).isEqualTo(200);
  }

  private int status(int port, String credentials) throws IOException, InterruptedException {
    String basic = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).header("Authorization", basic).build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }
}
