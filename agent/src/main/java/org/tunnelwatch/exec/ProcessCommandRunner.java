package org.tunnelwatch.exec;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.tunnelwatch.input.InputLimits;

/**
 * Runs programs as child processes. A program that outlives its timeout is killed together with
 * every process it started, so that a hanging restart script cannot leave stragglers behind.
 * Output beyond {@code maxOutputBytes} per stream ({@link InputLimits#PROCESS_OUTPUT_BYTES}
 * unless told) is read and thrown away, so that a program that floods its output neither blocks
 * on a full pipe nor fills the agent's memory; the result says when standard output was cut.
 *
 * <p>{@link #close()} (the agent stopping) kills every program running, with every process it
 * started, and starts none after: each call then ends at once with a result that says so.
 *
 * <p>Thread-safe: each call has its own process and reader threads.
 */
public final class ProcessCommandRunner implements CommandRunner, AutoCloseable {

  private static final AtomicInteger READER_COUNT = new AtomicInteger();

  private static final String STOPPING = "not run: the agent is stopping";

  private final int maxOutputBytes;
  private final Set<Process> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  /**
   * Reads the pipes. Cached, so that the thread count follows the commands running at once;
   * daemon threads, so that they never keep the JVM alive.
   */
  private final ExecutorService readers =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "command-output-" + READER_COUNT.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  public ProcessCommandRunner() {
    this(InputLimits.PROCESS_OUTPUT_BYTES);
  }

  public ProcessCommandRunner(int maxOutputBytes) {
    this.maxOutputBytes = maxOutputBytes;
  }

  @Override
  public CommandResult run(List<String> argv, Duration timeout) {
    return run(argv, Map.of(), timeout);
  }

  /** As {@link #run(List, Duration)}, with {@code environment} added to the agent's own. */
  public CommandResult run(List<String> argv, Map<String, String> environment, Duration timeout) {
    long start = System.nanoTime();
    if (closed) {
      return new CommandResult(-1, "", STOPPING, false, Duration.ZERO);
    }
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      // Missing program, no permission: the same exit code a shell would report.
      return new CommandResult(127, "", "cannot run " + argv.get(0) + ": " + e.getMessage(), false, elapsed(start));
    }
    running.add(process);
    try {
      if (closed) { // closed while it started: close() may not have seen it
        killTree(process);
      }
      return await(process, timeout, start);
    } finally {
      running.remove(process);
    }
  }

  /** Kills every program running, with its descendants, and runs no more. */
  @Override
  public void close() {
    closed = true;
    for (Process process : running) {
      killTree(process);
    }
  }

  private CommandResult await(Process process, Duration timeout, long start) {
    CompletableFuture<Drained> stdout = drain(process.getInputStream());
    CompletableFuture<Drained> stderr = drain(process.getErrorStream());
    boolean finished;
    try {
      finished = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished = false;
    }
    if (!finished) {
      killTree(process);
    }
    Drained out = collect(stdout);
    if (closed) {
      return new CommandResult(-1, out.text(), "killed: the agent is stopping", false, elapsed(start), out.cut());
    }
    return new CommandResult(
        finished ? process.exitValue() : -1, out.text(), collect(stderr).text(), !finished, elapsed(start), out.cut());
  }

  private static void killTree(Process process) {
    // Children first: once the parent is gone they are re-parented and harder to find.
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What was kept of one stream, and whether more was thrown away. */
  private record Drained(String text, boolean cut) {
    static final Drained NOTHING = new Drained("", false);
  }

  private CompletableFuture<Drained> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          ByteArrayOutputStream kept = new ByteArrayOutputStream();
          byte[] buffer = new byte[8192];
          boolean cut = false;
          try (stream) {
            int n;
            while ((n = stream.read(buffer)) >= 0) {
              int room = maxOutputBytes - kept.size();
              kept.write(buffer, 0, Math.max(0, Math.min(room, n)));
              cut |= n > room;
            }
          } catch (IOException e) {
            // The process was killed and its pipe closed under us: keep what we have.
          }
          return new Drained(kept.toString(StandardCharsets.UTF_8), cut);
        },
        readers);
  }

  private static Drained collect(CompletableFuture<Drained> output) {
    try {
      // The pipes close when the process (and its children holding them) are gone.
      return output.get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Drained.NOTHING;
    } catch (ExecutionException | TimeoutException e) {
      // A grandchild that escaped the kill still holds the pipe; give up on the rest.
      output.cancel(true);
      return Drained.NOTHING;
    }
  }

  private static Duration elapsed(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
