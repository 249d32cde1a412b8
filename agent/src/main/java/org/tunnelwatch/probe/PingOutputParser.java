package org.tunnelwatch.probe;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the output of iputils {@code ping -n}: one line per reply, then a summary. Replies
 * flagged {@code DUP!} are counted once; a reply whose sequence number was seen already is
 * ignored.
 */
final class PingOutputParser {

  // Numbers of the sizes ping prints (a 16-bit sequence, milliseconds with up to three decimals):
  // a line with anything else is not ping's, and matching it would only feed a parse error.
  private static final Pattern REPLY =
      Pattern.compile("^\\d+ bytes from [^:]+: icmp_seq=(\\d{1,5}) .*?time[=<](\\d{1,9}(?:\\.\\d{1,6})?) ms(.*)$");
  private static final Pattern SUMMARY =
      Pattern.compile("^(\\d{1,9}) packets transmitted, (\\d{1,9}) (?:packets )?received");

  private PingOutputParser() {}

  /** The result, or empty if the output has no summary line (ping failed before sending). */
  static Optional<EchoResult> parse(InetAddress target, String output) {
    List<Duration> rtts = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    Integer transmitted = null;
    for (String line : output.split("\n")) {
      Matcher reply = REPLY.matcher(line.strip());
      if (reply.matches()) {
        int seq = Integer.parseInt(reply.group(1));
        if (seen.add(seq) && !reply.group(3).contains("DUP!")) {
          rtts.add(Duration.ofNanos(Math.round(Double.parseDouble(reply.group(2)) * 1_000_000)));
        }
        continue;
      }
      Matcher summary = SUMMARY.matcher(line.strip());
      if (summary.find()) {
        transmitted = Integer.parseInt(summary.group(1));
      }
    }
    if (transmitted == null) {
      return Optional.empty();
    }
    // Replies beyond what was sent would be nonsense; never report more than was sent.
    List<Duration> counted = rtts.size() > transmitted ? rtts.subList(0, transmitted) : rtts;
    return Optional.of(EchoResult.of(target, transmitted, counted));
  }
}
