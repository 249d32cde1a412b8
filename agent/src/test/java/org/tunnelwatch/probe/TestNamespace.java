package org.tunnelwatch.probe;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.tunnelwatch.NativeThreadContext;
import org.tunnelwatch.exec.CommandRunner;
import org.tunnelwatch.exec.ProcessCommandRunner;
import org.tunnelwatch.probe.icmp.SocketContext;

/**
 * A network namespace of the test's own with one LAN bridge holding 198.51.100.1/24, so that
 * probes can time out for real without sending anything outside the machine. Removed on close.
 */
public final class TestNamespace implements AutoCloseable {

  public final String name = "twt" + UUID.randomUUID().toString().substring(0, 6);

  public TestNamespace() {
    sh("ip netns add " + name);
    sh("ip -n " + name + " link set lo up");
    sh("ip -n " + name + " link add lan0 type bridge");
    sh("ip -n " + name + " addr add 198.51.100.1/24 dev lan0");
    sh("ip -n " + name + " link set lan0 up");
  }

  /** Where native sockets are created inside this namespace (see {@link NativeThreadContext}). */
  public SocketContext socketContext() {
    return new NativeThreadContext(name, false);
  }

  /** Allows unprivileged ping sockets for every group, in this namespace only. */
  public TestNamespace allowPingSockets() {
    sh("ip netns exec " + name + " sysctl -q -w net.ipv4.ping_group_range='0 2147483647'");
    return this;
  }

  /** Runs a shell command inside the namespace, e.g. to add addresses; fails if it fails. */
  public void exec(String command) {
    sh("ip netns exec " + name + " sh -c '" + command.replace("'", "'\\''") + "'");
  }

  /** Runs every command inside the namespace. */
  public CommandRunner runner() {
    ProcessCommandRunner real = new ProcessCommandRunner();
    return (argv, timeout) -> {
      List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", name));
      wrapped.addAll(argv);
      return real.run(wrapped, timeout);
    };
  }

  /**
   * What an HTTP GET of {@code url} from inside the namespace answers (curl, 3 s), or "" when
   * nothing answered.
   */
  public String httpGet(String url) {
    try {
      Process curl =
          new ProcessBuilder("ip", "netns", "exec", name, "curl", "-s", "--max-time", "3", url)
              .redirectErrorStream(true)
              .start();
      String out = new String(curl.getInputStream().readAllBytes());
      curl.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  @Override
  public void close() {
    sh("ip netns delete " + name);
  }

  private static void sh(String command) {
    try {
      Process p = new ProcessBuilder("sh", "-c", command).inheritIO().start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("failed: " + command);
      }
    } catch (IOException e) {
      throw new IllegalStateException(command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(command, e);
    }
  }
}
