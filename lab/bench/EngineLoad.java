import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.tunnelwatch.probe.EchoRequest;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.icmp.IcmpEngine;
import org.tunnelwatch.probe.icmp.IcmpMode;

/**
 * The native engine alone, driven the way asynchronous tunnel rounds would drive it: every
 * target once a second, spread evenly over the second in 10 ms ticks, one shared callback, no
 * thread per probe. Prints "sent answered rtt_sum_ns rtt_count" once a second for lab/bench-probe.
 *
 * <pre>java -cp 'agent/target/tunnelwatch.jar:agent/target/lib/*' lab/bench/EngineLoad.java \
 *     raw|ping-socket SOURCE TARGETS_FILE TIMEOUT_MS</pre>
 */
public final class EngineLoad {

  private static final long TICK = TimeUnit.MILLISECONDS.toNanos(10);

  // Written by the engine thread only, read by the main thread for the report.
  private static volatile long answered;
  private static volatile long completed;
  private static volatile long rttSum;

  public static void main(String[] args) throws Exception {
    IcmpMode mode = args[0].equals("raw") ? IcmpMode.RAW : IcmpMode.PING_SOCKET;
    InetAddress source = InetAddress.getByName(args[1]);
    List<String> lines = Files.readAllLines(Path.of(args[2]));
    Duration timeout = Duration.ofMillis(Long.parseLong(args[3]));
    EchoRequest[] requests = new EchoRequest[lines.size()];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = new EchoRequest(source, InetAddress.getByName(lines.get(i).strip()), 1, Duration.ofMillis(200), timeout);
    }
    try (IcmpEngine engine = IcmpEngine.open(mode)) {
      long second = TimeUnit.SECONDS.toNanos(1);
      long start = System.nanoTime();
      long nextReport = start + second;
      for (long cycle = 0; ; cycle++) {
        for (int i = 0; i < requests.length; i++) {
          long due = start + cycle * second + i * second / requests.length;
          long wait;
          // A tick of 10 ms, as a scheduler firing the rounds due in it: the engine wakes once
          // for the batch instead of once per target.
          while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.max(wait, TICK));
          }
          engine.submit(requests[i], EngineLoad::completed);
        }
        if (System.nanoTime() - nextReport >= 0) {
          System.out.println(engine.stats().sent() + " " + answered + " " + rttSum + " " + answered);
          nextReport += second;
        }
      }
    }
  }

  private static void completed(EchoRequest request, EchoResult result) {
    completed++;
    if (result.received() > 0) {
      answered += result.received();
      rttSum += result.rtts().get(0).toNanos();
    }
  }
}
