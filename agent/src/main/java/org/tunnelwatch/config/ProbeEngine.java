package org.tunnelwatch.config;

import java.util.Arrays;
import java.util.Optional;

/** Which echo engine the agent uses: the {@code probe-engine} key. */
public enum ProbeEngine {
  /** Raw sockets if allowed, else ping sockets if allowed, else the ping program. */
  AUTO("auto"),
  /** Native raw ICMP sockets (CAP_NET_RAW); the agent does not start without them. */
  RAW("raw"),
  /** Native unprivileged ping sockets ({@code net.ipv4.ping_group_range}). */
  PING_SOCKET("ping-socket"),
  /** The {@code ping} program, one process per probe. */
  PING("ping");

  private final String configName;

  ProbeEngine(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  static Optional<ProbeEngine> fromConfigName(String name) {
    return Arrays.stream(values()).filter(e -> e.configName.equals(name)).findFirst();
  }
}
