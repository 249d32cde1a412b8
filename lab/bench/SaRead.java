import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.tunnelwatch.config.BackendConfig;
import org.tunnelwatch.config.BackendType;
import org.tunnelwatch.exec.ProcessCommandRunner;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.IpsecBackend;
import org.tunnelwatch.ipsec.swanctl.SwanctlBackend;
import org.tunnelwatch.ipsec.vici.ViciBackend;

/**
 * Reads charon's SA list the way the agent does, through the agent's own backends: {@code
 * SwanctlBackend.listSas()} (one {@code swanctl --list-sas --raw --uri URI} per read, its output
 * parsed) or {@code ViciBackend.listSas()} (list-sas on the one open socket, parsed). WARMUP reads
 * first (the JIT, the socket's opening), then REPS reads back to back, each measured. For
 * lab/bench-sa-read.
 *
 * <p>Prints one line per measured read: {@code read WALL_NS THREAD_CPU_NS IKE_SAS CHILD_SAS
 * INSTALLED}, then {@code total WALL_NS CHARON_TICKS CHILDREN_TICKS SELF_TICKS}: charon's
 * utime+stime over the measured reads (/proc/PID/stat), and this JVM's reaped children's
 * (cutime+cstime: the swanctl processes) and its own, in clock ticks.
 *
 * <pre>java -cp 'agent/target/tunnelwatch.jar:agent/target/lib/*' lab/bench/SaRead.java \
 *     swanctl|vici unix:///path/charon.vici CHARON_PID REPS WARMUP [PAUSE_MS]</pre>
 */
public final class SaRead {

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String uri = args[1];
    long charon = Long.parseLong(args[2]);
    int reps = Integer.parseInt(args[3]);
    int warmup = Integer.parseInt(args[4]);
    long pauseMs = args.length > 5 ? Long.parseLong(args[5]) : 0;
    BackendConfig config = new BackendConfig(
        mode.equals("vici") ? BackendType.VICI : BackendType.SWANCTL, Path.of("/usr/sbin/swanctl"), uri, "true", Duration.ofSeconds(30));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (ProcessCommandRunner runner = new ProcessCommandRunner()) {
      IpsecBackend backend = mode.equals("vici") ? new ViciBackend(config, runner) : new SwanctlBackend(config, runner);
      for (int i = 0; i < warmup; i++) {
        backend.listSas();
        pause(pauseMs);
      }
      long[] c0 = ticks(charon);
      long[] s0 = ticks(ProcessHandle.current().pid());
      long t0 = System.nanoTime();
      long pauses = 0;
      for (int i = 0; i < reps; i++) {
        long cpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        List<IkeSa> sas = backend.listSas();
        long wall = System.nanoTime() - start;
        cpu = threads.getCurrentThreadCpuTime() - cpu;
        long children = sas.stream().mapToLong(s -> s.children().size()).sum();
        long installed = sas.stream().flatMap(s -> s.children().stream()).filter(c -> c.installed()).count();
        System.out.println("read " + wall + " " + cpu + " " + sas.size() + " " + children + " " + installed);
        long p = System.nanoTime();
        pause(pauseMs);
        pauses += System.nanoTime() - p;
      }
      long wall = System.nanoTime() - t0 - pauses;
      long[] c1 = ticks(charon);
      long[] s1 = ticks(ProcessHandle.current().pid());
      System.out.println("total " + wall + " " + (c1[0] - c0[0]) + " " + (s1[1] - s0[1]) + " " + (s1[0] - s0[0]));
      if (backend instanceof AutoCloseable c) {
        c.close();
      }
    }
  }

  private static void pause(long ms) throws InterruptedException {
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }

  /** utime+stime and cutime+cstime of a process, in clock ticks. */
  private static long[] ticks(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
    return new long[] {
      Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])
    };
  }
}
