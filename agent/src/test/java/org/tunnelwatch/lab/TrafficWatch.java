package org.tunnelwatch.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches the traffic of one subnet for the length of a test: a {@code ping} every 200 ms from a
 * LAN address of a gateway through its tunnel, each echo recorded by sequence number with its send
 * time and whether it was answered, so that outages can be read afterwards: when traffic came
 * back after a fault, and whether it was lost again (a second outage). Send times come from ping's
 * own lines ({@code -D} stamps, {@code -O} reports each echo still unanswered when the next one
 * leaves): its interval drifts by a few per cent, too much to count on over minutes.
 */
final class TrafficWatch implements AutoCloseable {

  static final Duration EVERY = Duration.ofMillis(200);
  /** Lost echoes in a row that make an outage: 0.6 s, so that one late reply is not one. */
  static final int OUTAGE_RUN = 3;

  private static final Pattern LINE =
      Pattern.compile("^\\[(\\d+)\\.(\\d{6})\\] (no answer yet for )?.*icmp_seq=(\\d+)(?: .* time=([0-9.]+) ms)?");

  private final String name;
  private final Process ping;
  /** Each echo's send time, by sequence number. */
  private final ConcurrentSkipListMap<Integer, Instant> sent = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListSet<Integer> answered = new ConcurrentSkipListSet<>();
  private final Thread reader;

  private TrafficWatch(String name, Process ping) {
    this.name = name;
    this.ping = ping;
    this.reader = new Thread(this::read, "traffic-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts pinging {@code to} from {@code from} inside {@code namespace}; {@code name} for messages. */
  static TrafficWatch start(String name, String namespace, String from, String to) throws IOException {
    Process ping =
        new ProcessBuilder(
                List.of("ip", "netns", "exec", namespace, "ping", "-n", "-D", "-O", "-i", "0.2", "-W", "1", "-I", from, to))
            .redirectErrorStream(true)
            .start();
    return new TrafficWatch(name, ping);
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(ping.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
          continue;
        }
        Instant at = Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) * 1000);
        int seq = Integer.parseInt(m.group(4));
        if (m.group(3) != null) {
          sent.putIfAbsent(seq, at.minus(EVERY)); // said as the next echo leaves
        } else if (m.group(5) != null) {
          sent.put(seq, at.minusNanos((long) (Double.parseDouble(m.group(5)) * 1e6)));
          answered.add(seq);
        }
      }
    } catch (IOException e) {
      // The process was stopped: the watch is over.
    }
  }

  String name() {
    return name;
  }

  /** Whether echoes have been answered since {@code since}. */
  boolean flowsSince(Instant since) {
    Optional<Integer> seq = seqAt(since);
    return seq.isPresent() && answered.ceiling(seq.get()) != null;
  }

  /** The first echo sent at or after {@code t}, if one was. */
  private Optional<Integer> seqAt(Instant t) {
    return sent.entrySet().stream().filter(e -> !e.getValue().isBefore(t)).map(e -> e.getKey()).findFirst();
  }

  private Instant sentAt(int seq) {
    return sent.get(seq);
  }

  /** The last echo whose answer, if any, is in: replies wait at most a second ({@code -W 1}). */
  private int lastSeq() {
    Instant settled = Instant.now().minus(Duration.ofMillis(1500));
    return sent.descendingMap().entrySet().stream()
        .filter(e -> e.getValue().isBefore(settled))
        .map(e -> e.getKey())
        .findFirst()
        .orElse(0);
  }

  /**
   * When traffic came back for good after {@code since}: the send time of the first answered
   * echo after the last outage ({@link #OUTAGE_RUN} lost in a row) after {@code since}, or {@code
   * since} itself if there was none. Empty while the latest echoes are lost.
   */
  Optional<Instant> backAfter(Instant since) {
    int from = seqAt(since).orElseThrow(() -> new IllegalStateException(name + ": no echo answered yet"));
    int lost = 0;
    Integer back = null;
    for (int seq = from; seq <= lastSeq(); seq++) {
      if (answered.contains(seq)) {
        if (lost >= OUTAGE_RUN) {
          back = seq;
        }
        lost = 0;
      } else {
        lost++;
      }
    }
    if (lost >= OUTAGE_RUN) {
      return Optional.empty();
    }
    return Optional.of(back == null ? since : sentAt(back));
  }

  /**
   * The send time of the first answered echo after the first outage that began at or after
   * {@code since}; {@code since} itself if there was none.
   */
  Instant firstBackAfter(Instant since) {
    int from = seqAt(since).orElseThrow(() -> new IllegalStateException(name + ": no echo answered yet"));
    int lost = 0;
    for (int seq = from; seq <= lastSeq(); seq++) {
      if (!answered.contains(seq)) {
        lost++;
      } else if (lost >= OUTAGE_RUN) {
        return sentAt(seq);
      } else {
        lost = 0;
      }
    }
    return since;
  }

  /** How many outages ({@link #OUTAGE_RUN} or more lost in a row) began at or after {@code since}. */
  int outagesSince(Instant since) {
    int from = seqAt(since).orElseThrow(() -> new IllegalStateException(name + ": no echo answered yet"));
    int last = lastSeq();
    int outages = 0;
    int lost = 0;
    for (int seq = from; seq <= last; seq++) {
      if (answered.contains(seq)) {
        lost = 0;
      } else if (++lost == OUTAGE_RUN) {
        outages++;
      }
    }
    return outages;
  }

  /** Echoes sent from {@code from} to {@code to} that were never answered (ask once both are settled). */
  int lostBetween(Instant from, Instant to) {
    return (int) sent.entrySet().stream()
        .filter(e -> !e.getValue().isBefore(from) && !e.getValue().isAfter(to))
        .filter(e -> !answered.contains(e.getKey()))
        .count();
  }

  @Override
  public void close() {
    ping.destroy();
  }
}
