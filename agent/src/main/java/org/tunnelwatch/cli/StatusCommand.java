package org.tunnelwatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.tunnelwatch.input.BoundedBody;
import org.tunnelwatch.input.InputLimits;
import org.tunnelwatch.input.RefusedInputException;
import org.tunnelwatch.telemetry.StatusReport;
import org.tunnelwatch.tunnel.FailoverStatus;
import org.tunnelwatch.tunnel.TunnelStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tunnelwatch status [--url URL]}: asks a running agent and prints its tunnels. Exit 0 if
 * every tunnel is up or degraded, 1 if any is down or unknown, 3 if the agent cannot be asked.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the tunnels of a running agent.")
final class StatusCommand implements Callable<Integer> {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-u", "--url"},
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:9814",
      description = "the agent's base URL (default: ${DEFAULT-VALUE})")
  String url;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    URI endpoint;
    try {
      endpoint = URI.create(url.replaceAll("/+$", "") + "/api/v1/tunnels");
    } catch (IllegalArgumentException e) {
      err.println("tunnelwatch: not a URL: " + url);
      return ExitCodes.BAD_CONFIG;
    }
    StatusReport report;
    try {
      HttpResponse<byte[]> response =
          BoundedBody.send(
              HttpClient.newBuilder().connectTimeout(TIMEOUT).build(),
              HttpRequest.newBuilder(endpoint).timeout(TIMEOUT).GET().build(),
              InputLimits.STATUS_RESPONSE_BYTES,
              BoundedBody.Overflow.REFUSE,
              TIMEOUT);
      if (response.statusCode() != 200) {
        err.println("tunnelwatch: " + endpoint + " answered HTTP " + response.statusCode());
        return ExitCodes.UNREACHABLE;
      }
      report = StatusReport.json().readValue(response.body(), StatusReport.class);
      if (report == null || report.tunnels() == null) {
        err.println("tunnelwatch: " + endpoint + " did not answer with a tunnel list");
        return ExitCodes.UNREACHABLE;
      }
    } catch (JsonProcessingException e) {
      err.println("tunnelwatch: " + endpoint + " did not answer with a tunnel list: " + e.getOriginalMessage());
      return ExitCodes.UNREACHABLE;
    } catch (RefusedInputException e) {
      err.println("tunnelwatch: " + endpoint + ": " + e.getMessage());
      return ExitCodes.UNREACHABLE;
    } catch (IOException | IllegalArgumentException e) {
      err.println("tunnelwatch: cannot reach the agent at " + url + ": " + e);
      return ExitCodes.UNREACHABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.UNREACHABLE;
    }
    return print(report, out);
  }

  private static int print(StatusReport report, PrintWriter out) {
    TextTable table = new TextTable("TUNNEL", "STATE", "SINCE", "LOSS", "RTT", "UPLINK", "LAST ACTION", "REASON");
    boolean allUp = true;
    for (TunnelStatus t : report.tunnels()) {
      allUp &= t.state().equals("up") || t.state().equals("degraded");
      String uplink = t.uplink() == null ? "-" : t.uplink() + (t.uplinkUp() ? " up" : " DOWN");
      String action =
          t.lastAction() == null ? "-" : t.lastAction().action() + " " + t.lastAction().result() + " at " + t.lastAction().at();
      table.row(t.name(), t.state(), t.since(), Formats.percent(t.lossRatio()), Formats.millis(t.rttSeconds()), uplink, action, t.reason());
    }
    if (report.dryRun()) {
      out.println("(dry-run: the agent observes and reports, never acts)");
    }
    table.print(out);
    printFailover(report, out);
    return allUp ? ExitCodes.OK : ExitCodes.NOT_OK;
  }

  /** Which member carries each failover group's traffic, if there are groups. */
  private static void printFailover(StatusReport report, PrintWriter out) {
    if (report.failover().isEmpty()) {
      return;
    }
    TextTable groups = new TextTable("FAILOVER GROUP", "TRAFFIC THROUGH", "MEMBERS");
    for (FailoverStatus g : report.failover()) {
      groups.row(g.name(), g.active() + (g.onBackup() ? " (backup)" : ""), String.join(", ", g.members()));
    }
    out.println();
    groups.print(out);
  }
}
