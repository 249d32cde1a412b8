package org.tunnelwatch.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.NativeThreadContext;

/**
 * Target rules and TCP/UDP probes through a real tunnel: two targets behind the hub, one of which
 * stops answering, under {@code any} and under {@code all}; and a tunnel watched by a TCP connect
 * and a UDP echo only.
 */
class TargetsAndProbeKindsIT extends LabScenario {

  private static final String TUNNEL = "sg1-sgcentral";
  private static final String HUB = "203.0.113.1";
  /** A second host behind the hub: an application server, in the lab an address of the hub's LAN. */
  private static final String SERVER = "203.0.113.2";

  private final List<Channel> services = new ArrayList<>();

  @AfterEach
  void stopServices() throws IOException {
    for (Channel service : services) {
      service.close();
    }
  }

  private AgentProcess watching(String defaults, String targets) throws IOException {
    String config =
        AgentProcess.config(
            lab, "sat", "", defaults, AgentProcess.tunnel(TUNNEL, TUNNEL, "net", lab.env.get("TW_SAT_LAN"), targets));
    AgentProcess agent = started(AgentProcess.startOn(lab, "sat", config));
    awaitState(agent, TUNNEL, "up", BOUND);
    return agent;
  }

  private void inHub(String... command) {
    List<String> argv = new ArrayList<>(List.of("exec", lab.name, "hub"));
    argv.addAll(List.of(command));
    Lab.twLab(argv.toArray(String[]::new));
  }

  private void hubAndServer() {
    lab = Lab.up();
    inHub("ip", "addr", "add", SERVER + "/24", "dev", "lan0");
  }

  /** The server stops answering anything: the hub drops what is addressed to it. */
  private void serverFallsSilent() {
    inHub("nft", "add", "table", "inet", "twserver");
    inHub("nft", "add", "chain", "inet", "twserver", "in", "{ type filter hook input priority 0 ; }");
    inHub("nft", "add", "rule", "inet", "twserver", "in", "ip", "daddr", SERVER, "drop");
  }

  private void serverAnswersAgain() {
    inHub("nft", "delete", "table", "inet", "twserver");
  }

  @Test
  void underAnyASilentServerLeavesTheTunnelCarryingTrafficWithItsLossReported() throws Exception {
    hubAndServer();
    AgentProcess agent = watching("targets-rule: any", HUB + ", " + SERVER);

    serverFallsSilent();
    long end = System.nanoTime() + Duration.ofSeconds(12).toNanos();
    while (System.nanoTime() < end) {
      assertThat(inState(agent, TUNNEL, "down")).as("down under any").isFalse();
      Thread.sleep(500);
    }

    assertThat(inState(agent, TUNNEL, "degraded")).isTrue();
    Scrape scrape = agent.scrape();
    assertThat(scrape.sum("tunnelwatch_probes_total", "tunnel", TUNNEL, "target", SERVER, "result", "timeout")).isPositive();
    assertThat(scrape.sum("tunnelwatch_probes_total", "tunnel", TUNNEL, "target", HUB, "result", "timeout")).isZero();
    assertThat(actionsTaken(agent, TUNNEL)).isZero();
  }

  @Test
  void underAllASilentServerMakesTheTunnelDownWithoutARepairAndUpWhenItAnswersAgain() throws Exception {
    hubAndServer();
    AgentProcess agent = watching("targets-rule: all", HUB + ", " + SERVER);

    serverFallsSilent();
    awaitState(agent, TUNNEL, "down", DOWN_BOUND);
    assertThat(agent.tunnelsJson()).contains("too few targets answered");
    // Four settle times (5 s in the lab's defaults): any ladder would have climbed by now.
    Thread.sleep(20_000);
    assertThat(inState(agent, TUNNEL, "down")).isTrue();
    assertThat(actionsTaken(agent, TUNNEL)).isZero();
    assertThat(agent.tunnelsJson()).contains("replies are coming back, not acting");
    assertThat(lab.trafficFlows()).isTrue();

    serverAnswersAgain();
    awaitState(agent, TUNNEL, "up", BOUND);
    assertThat(actionsTaken(agent, TUNNEL)).isZero();
  }

  @Test
  void aTcpConnectAndAUdpEchoThroughTheTunnelWatchItAndACutIsFoundAndRepaired() throws Exception {
    lab = Lab.up();
    // A TCP listener and a UDP echo service on the hub's LAN address: sockets made in the hub's
    // namespace (a socket stays in the namespace it was made in), served by threads of the test.
    NativeThreadContext hub = new NativeThreadContext(lab.namespace("hub"), false);
    ServerSocketChannel listener = hub.call(() -> ServerSocketChannel.open().bind(new InetSocketAddress(HUB, 8080)));
    DatagramChannel echo = hub.call(() -> DatagramChannel.open().bind(new InetSocketAddress(HUB, 7007)));
    serve(listener, () -> listener.accept().close());
    serve(echo, () -> {
      ByteBuffer datagram = ByteBuffer.allocate(2048);
      SocketAddress peer = echo.receive(datagram);
      echo.send(datagram.flip(), peer);
    });
    String tcp = "tcp://" + HUB + ":8080";
    String udp = "udp://" + HUB + ":7007";
    AgentProcess agent = watching("targets-rule: all", "\"" + tcp + "\", \"" + udp + "\"");

    Scrape scrape = agent.scrape();
    assertThat(scrape.sum("tunnelwatch_probes_total", "tunnel", TUNNEL, "target", tcp, "result", "success")).isPositive();
    assertThat(scrape.sum("tunnelwatch_probes_total", "tunnel", TUNNEL, "target", udp, "result", "success")).isPositive();
    assertThat(scrape.sum("tunnelwatch_probe_rtt_seconds_sum", "tunnel", TUNNEL, "target", tcp)).isPositive();

    lab.fault("cut");
    awaitState(agent, TUNNEL, "down", DOWN_BOUND);
    assertThat(agent.scrape().sum("tunnelwatch_probes_total", "tunnel", TUNNEL, "target", tcp, "result", "timeout")).isPositive();
    lab.heal();
    await("traffic flows again").atMost(BOUND).until(lab::trafficFlows);
    awaitState(agent, TUNNEL, "up", BOUND);
  }

  private interface Step {
    void run() throws IOException;
  }

  /** Runs {@code step} over and over on a thread of its own until {@code channel} is closed. */
  private void serve(Channel channel, Step step) {
    services.add(channel);
    Thread thread =
        new Thread(
            () -> {
              while (channel.isOpen()) {
                try {
                  step.run();
                } catch (IOException e) {
                  return; // closed
                }
              }
            },
            "hub-service");
    thread.setDaemon(true);
    thread.start();
  }
}
