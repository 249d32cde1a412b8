package org.tunnelwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.FreePorts;
import org.tunnelwatch.LoopbackTunnels;
import org.tunnelwatch.config.ConfigLoader;
import org.tunnelwatch.tunnel.TunnelStatus;

/**
 * A configuration file replaced by something that is not a file before SIGHUP: the reload is
 * refused at once and the running configuration stays, as README promises for a bad reload
 * (with a real agent on loopback).
 */
class ReloadOfSpecialFilesTest {

  @TempDir Path dir;
  private Agent agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private void startWith(String tunnel) throws Exception {
    String yaml = LoopbackTunnels.yaml("127.0.0.1:" + FreePorts.any(), dir.resolve("state"), tunnel);
    agent = Agent.start(new ConfigLoader().parse("test.yml", yaml));
  }

  @Test
  void aConfigThatBecameALinkToDevZeroKeepsTheRunningConfiguration() throws Exception {
    startWith("alpha");
    Path file = Files.createSymbolicLink(dir.resolve("tunnelwatch.yml"), Path.of("/dev/zero"));

    assertThat(agent.reload(file)).isFalse();

    assertThat(agent.statusReport().tunnels()).extracting(TunnelStatus::name).containsExactly("alpha");
  }

  @Test
  @Timeout(20) // reading a FIFO waits for a writer forever
  void aConfigThatBecameAFifoKeepsTheRunningConfiguration() throws Exception {
    startWith("alpha");
    Path fifo = dir.resolve("tunnelwatch.yml");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    assertThat(agent.reload(fifo)).isFalse();

    assertThat(agent.statusReport().tunnels()).extracting(TunnelStatus::name).containsExactly("alpha");
  }
}
