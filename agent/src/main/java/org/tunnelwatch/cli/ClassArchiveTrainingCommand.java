package org.tunnelwatch.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.tunnelwatch.agent.Agent;
import org.tunnelwatch.agent.AgentStartException;
import org.tunnelwatch.config.AgentConfig;
import org.tunnelwatch.config.ConfigLoader;
import org.tunnelwatch.config.ConfigOverrides;
import org.tunnelwatch.config.InvalidConfigException;
import org.tunnelwatch.discovery.HostTunnelDiscovery;
import picocli.CommandLine.Command;

/**
 * {@code tunnelwatch class-archive-training}, hidden: the run that the class-data sharing archive
 * is recorded from (the launcher's class-archive.sh starts it under {@code
 * -XX:DumpLoadedClassList}, then dumps the classes listed into a static archive). It does what
 * a start does with a throwaway dry-run configuration on loopback (load and validate the file,
 * start the agent, one round of echoes to 127.0.0.1, a scrape and a health check), then stops, so that the classes a start loads are the ones
 * archived. Nothing leaves the machine and nothing is repaired: the backend is {@code /bin/true}.
 *
 * <p>Only those: the JVM maps an archive whole, so every class in it is resident in every agent,
 * used or not. Hence no status request (Jackson's databind, some 490 classes, about 3 MB, which
 * only {@code tunnelwatch status} needs; it loads them from the jar when asked), and the requests
 * are written on a plain socket, not with the JDK's HTTP client, whose classes the agent never
 * uses.
 *
 * <p>Exit 0 when the agent started and answered; otherwise 1, and the caller keeps no archive.
 */
@Command(name = "class-archive-training", hidden = true, description = "Start and stop the agent on loopback, for the class-data sharing archive.")
final class ClassArchiveTrainingCommand implements Callable<Integer> {

  /** Long enough for the first round on a loaded machine; the archive is no worse without it. */
  private static final long FIRST_ROUND_WAIT_MILLIS = 5_000;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("tunnelwatch-class-archive");
    try {
      return train(dir);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static int train(Path dir) throws InterruptedException {
    try {
      Path file = dir.resolve("tunnelwatch.yml");
      Files.writeString(file, configuration(dir.resolve("state"), freeLoopbackPort()));
      // Loaded as run loads it, so that the same classes load.
      AgentConfig config = new ConfigLoader(new HostTunnelDiscovery(), ConfigOverrides.NONE).load(file);
      try (Agent agent = Agent.start(config)) {
        long deadline = System.currentTimeMillis() + FIRST_ROUND_WAIT_MILLIS;
        while (agent.statusReport().tunnels().stream().allMatch(t -> t.lossRatio() == null) && System.currentTimeMillis() < deadline) {
          Thread.sleep(50);
        }
        for (String path : new String[] {"/metrics", "/healthz"}) {
          get(agent.httpPort(), path);
        }
      }
      return ExitCodes.OK;
    } catch (InvalidConfigException | AgentStartException | IOException e) {
      System.err.println("tunnelwatch: class-archive training: " + e.getMessage());
      return ExitCodes.NOT_OK;
    }
  }

  /** One tunnel from 127.0.0.1 to itself, dry-run, with a backend that answers nothing. */
  static String configuration(Path stateDir, int port) {
    return """
        listen: "127.0.0.1:%d"
        state-dir: %s
        dry-run: true
        backend:
          swanctl: /bin/true
        tunnels:
          - { name: training, child: net, source: 127.0.0.1, targets: [127.0.0.1] }
        """.formatted(port, stateDir);
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static final int MAX_ANSWER_BYTES = 16 << 20;

  /** Reads the answer to the end, whatever its status: the same code serves a 503 as a 200. */
  private static void get(int port, String path) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout((int) FIRST_ROUND_WAIT_MILLIS);
      OutputStream request = socket.getOutputStream();
      request.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      request.flush();
      socket.getInputStream().readNBytes(MAX_ANSWER_BYTES); // the agent's own answer, but bounded as every read is
    }
  }
}
