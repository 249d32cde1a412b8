package org.tunnelwatch.probe;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tunnelwatch.config.IpAddresses;
import org.tunnelwatch.exec.CommandResult;
import org.tunnelwatch.exec.CommandRunner;

/**
 * Echo probes through the {@code ping} program: {@code ping -n -c COUNT -i SPACING -W TIMEOUT -I
 * SOURCE TARGET}. Costs a process per probe; the native engine replaces it on busy hubs.
 */
public final class PingProgramProber implements EchoProber {

  /** Room for process start-up and exit on top of the echoes' own budget. */
  private static final Duration MARGIN = Duration.ofSeconds(2);

  private final CommandRunner runner;
  private final String pingProgram;

  public PingProgramProber(CommandRunner runner, String pingProgram) {
    this.runner = runner;
    this.pingProgram = pingProgram;
  }

  @Override
  public EchoResult probe(EchoRequest request) {
    List<String> argv =
        List.of(
            pingProgram,
            "-n",
            "-c", Integer.toString(request.count()),
            "-i", seconds(request.spacing()),
            "-W", seconds(request.timeout()),
            "-I", IpAddresses.toText(request.source()),
            IpAddresses.toText(request.target()));
    CommandResult result = runner.run(argv, request.budget().plus(MARGIN));
    if (result.timedOut()) {
      return EchoResult.error(request.target(), "ping did not finish in time and was killed");
    }
    Optional<EchoResult> parsed = PingOutputParser.parse(request.target(), result.stdout());
    if (parsed.isPresent() && parsed.get().sent() > 0) {
      return parsed.get();
    }
    // No summary: ping gave up before sending, e.g. "bind: Cannot assign requested address".
    return EchoResult.error(request.target(), "ping " + result.summary());
  }

  @Override
  public String name() {
    return "ping program (" + pingProgram + ")";
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
  }
}
