package org.tunnelwatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a tunnelwatch command in a child JVM with the JVM options the package ships ({@code
 * -Xmx24m -XX:+ExitOnOutOfMemoryError}, as in packaging/src/deb/bin/tunnelwatch), on this
 * build's classes: where the failure being tested is an OutOfMemoryError, only the shipped heap
 * shows it.
 */
public final class ShippedHeap {

  /** What the command did. */
  public record Outcome(int exitCode, String output) {}

  private ShippedHeap() {}

  /** Runs {@code tunnelwatch args...} to its end, its output (both streams) kept in {@code log}. */
  public static Outcome run(Path log, String... args) throws IOException, InterruptedException {
    Process process = start(log, args);
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("tunnelwatch " + String.join(" ", args) + " still running after 120 s:\n" + Files.readString(log));
      }
    } finally {
      ChildProcesses.stop(process);
    }
    return new Outcome(process.exitValue(), Files.readString(log));
  }

  /**
   * Starts {@code tunnelwatch args...} (such as {@code run}), its output kept in {@code log}; the
   * caller ends it with {@link ChildProcesses#stop}.
   */
  public static Process start(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:+UseSerialGC", "-Xmx24m", "-Xss512k", "-XX:+ExitOnOutOfMemoryError"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.tunnelwatch.cli.Main"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
