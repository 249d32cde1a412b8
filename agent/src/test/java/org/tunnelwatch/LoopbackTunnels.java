package org.tunnelwatch;

import java.nio.file.Path;

/**
 * A configuration for tests of the agent's life cycle (start, reload, signals): dry-run, a
 * backend that fails every call, and tunnels that probe 127.0.0.1 once a second and so stay up.
 */
public final class LoopbackTunnels {

  private LoopbackTunnels() {}

  /**
   * The YAML text, listening on {@code listen} (host:port) and keeping its state in {@code
   * stateDir}, so that a test never writes to the machine's /var/lib/tunnelwatch.
   */
  public static String yaml(String listen, Path stateDir, String... tunnels) {
    StringBuilder text =
        new StringBuilder(
            """
            listen: "%s"
            state-dir: %s
            dry-run: true
            backend: { type: swanctl, swanctl: /bin/false, timeout: 2s }
            defaults: { interval: 1s, count: 1, timeout: 200ms }
            tunnels:
            """
                .formatted(listen, stateDir));
    for (String name : tunnels) {
      text.append("  - { name: ").append(name).append(", child: net, source: 127.0.0.1, targets: [127.0.0.1] }\n");
    }
    return text.toString();
  }
}
