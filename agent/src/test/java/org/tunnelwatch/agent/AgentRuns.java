package org.tunnelwatch.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The agent processes one test starts, each with its output in a log file of its own: killed and
 * their logs printed when the test ends, so a failure shows what every run said.
 */
public final class AgentRuns implements AutoCloseable {

  private final Path dir;
  private final List<Process> agents = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();

  /** @param dir where the logs go, as agent-1.log, agent-2.log, ... */
  public AgentRuns(Path dir) {
    this.dir = dir;
  }

  /** Starts {@code command} with its standard output and error in the next log. */
  public Process start(List<String> command) throws IOException {
    Path log = dir.resolve("agent-" + (logs.size() + 1) + ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    agents.add(p);
    logs.add(log);
    return p;
  }

  /** What {@code agent}, started here, has written so far. */
  public String log(Process agent) throws IOException {
    return Files.readString(logs.get(agents.indexOf(agent)));
  }

  /** The first agent started here. */
  public Process first() {
    return agents.get(0);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    for (Process p : agents) {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    for (int i = 0; i < logs.size(); i++) {
      System.out.println("---- agent log " + (i + 1) + "\n" + Files.readString(logs.get(i)));
    }
  }
}
