package org.tunnelwatch.probe.icmp;

import org.tunnelwatch.probe.AsyncEchoProber;
import org.tunnelwatch.probe.EchoCallback;
import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.config.IpAddresses;
import org.tunnelwatch.probe.EchoRequest;
import org.tunnelwatch.probe.EchoResult;

/**
 * Native ICMP echo for many tunnels at once, the way fping and dpinger do it: one thread, one
 * socket per source address, every echo in flight at the same time, matched by identifier,
 * sequence number, payload and sender, and timed with the monotonic clock right before the send
 * and, for the receive, by the kernel as the reply arrives ({@code SO_TIMESTAMPNS}).
 *
 * <p><b>Asynchronous core.</b> {@link #submit} hands over a request and returns at once; the
 * engine sends its echoes {@link EchoRequest#spacing()} apart and calls the callback once, when
 * the last echo is answered or has timed out (so a request whose echoes are all answered
 * completes early, and one that is not completes at {@link EchoRequest#budget()}). A thousand
 * tunnels need no thread each: a round can submit all its targets with one callback that counts
 * them down; the agent's rounds do exactly that.
 *
 * <p><b>One thread.</b> The engine thread does all the work: it takes submissions, sends echoes
 * when due, reads replies as they arrive ({@code ppoll} on the sockets and an eventfd that
 * submissions poke), expires echoes and runs callbacks. In the steady state it allocates nothing
 * of its own: flights are pooled, timers, the echo table and the buffers are preallocated arrays
 * and native memory. What remains per request is the request, its result and the caller's
 * callback.
 *
 * <p><b>Sockets.</b> One per source address, opened on first use and kept: a raw socket with the
 * kernel filter set to echo replies, or a ping socket. A source no interface holds fails the
 * request at once with the kernel's reason ("Cannot assign requested address") and is tried
 * again on the next request.
 *
 * <p>Thread-safe: {@link #submit}, {@link #stats} and {@link #close} may be called from any
 * thread.
 */
public final class IcmpEngine implements AsyncEchoProber {

  private static final Logger log = LoggerFactory.getLogger(IcmpEngine.class);

  private static final int QUEUE_CAPACITY = 16_384;
  /** The submission ring's first size: a round of up to some eighty tunnels without growing. */
  private static final int QUEUE_INITIAL_CAPACITY = 256;
  private static final int DRAIN_BATCH = 256;
  /** Datagrams read from one socket per wake-up, so that a flood cannot starve the sends. */
  private static final int MAX_READS_PER_WAKEUP = 1024;
  /** Bytes kept of a datagram: an echo reply with the largest IP header needs 60 + 8 + 16. */
  private static final int RECEIVE_BYTES = 512;
  /** Datagrams read per system call: a slot's burst of replies in one or two. */
  private static final int RECEIVE_BATCH = 64;
  private static final long MAX_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long SERIAL_LIMIT = 1L << 46;

  private final IcmpMode mode;
  private final SocketContext context;
  private final int rawIdentifier;
  private final EchoTable table;
  private final TimerHeap timers = new TimerHeap(1024);
  private final SubmissionQueue submissions = new SubmissionQueue(QUEUE_INITIAL_CAPACITY, QUEUE_CAPACITY);
  private final AtomicBoolean sleeping = new AtomicBoolean();
  /** See {@link #deliverWithin}; the two halves of a turn as tasks made once, not per turn. */
  private volatile Consumer<Runnable> deliveryScope = Runnable::run;
  private final Runnable sendAndExpireTask = this::sendAndExpire;
  private final Runnable receiveAllTask = this::receiveAll;
  /**
   * Per submitting thread: {depth of nested submitTogether calls, whether a submission in the
   * batch still owes the engine a wake-up}.
   */
  private final ThreadLocal<int[]> batching = ThreadLocal.withInitial(() -> new int[2]);
  private final Thread thread;
  private volatile boolean running = true;

  // Everything below belongs to the engine thread.
  private final Map<InetAddress, IcmpSocket> socketsBySource = new HashMap<>();
  private final List<IcmpSocket> sockets = new ArrayList<>();
  private IcmpSocket lastSocket;
  private final List<ProbeFlight> flights = new ArrayList<>();
  private final ArrayDeque<ProbeFlight> freeFlights = new ArrayDeque<>();
  private final int wakeFd;
  private final Memory wakeBuffer = new Memory(8);
  /** Holds 1 forever: what {@link #wake()} writes to the eventfd, from any thread. */
  private final Memory wakeSignal = new Memory(8);
  private final Memory sendBuffer = new Memory(EchoCodec.REQUEST_BYTES);
  private final Memory destination = new Memory(SocketAddresses.MAX_LENGTH);
  private final ReceivedBatch received = new ReceivedBatch(RECEIVE_BATCH, RECEIVE_BYTES);
  private final Memory timespec = new Memory(16);
  private Memory pollFds = new Memory(8L * 8);
  private int pollCount;
  private boolean socketsChanged = true;
  private final byte[] sendBytes = new byte[EchoCodec.REQUEST_BYTES];
  private final byte[] destinationBytes = new byte[SocketAddresses.MAX_LENGTH];
  private final byte[] receiveBytes = new byte[RECEIVE_BYTES];
  private final byte[] senderBytes = new byte[SocketAddresses.MAX_LENGTH];
  private final ReplyView reply = new ReplyView();
  private final EchoRequest[] takenRequests = new EchoRequest[DRAIN_BATCH];
  private final EchoCallback[] takenCallbacks = new EchoCallback[DRAIN_BATCH];
  private long nextSerial = 1;

  // Written by the engine thread only; volatile so that stats() reads them from any thread.
  private volatile long submitted;
  private volatile long sent;
  private volatile long answered;
  private volatile long expired;
  private volatile long sendErrors;
  private volatile long late;
  private volatile long duplicates;
  private volatile long wrongHost;
  private volatile long wrongPayload;
  private volatile long malformed;

  private IcmpEngine(IcmpMode mode, SocketContext context, int wakeFd) {
    this.mode = mode;
    this.context = context;
    this.wakeFd = wakeFd;
    SecureRandom random = new SecureRandom();
    this.rawIdentifier = 1 + random.nextInt(0xfffe);
    this.table = new EchoTable(random.nextLong());
    wakeSignal.setLong(0, 1);
    this.thread = new Thread(this::run, "icmp-engine");
    thread.setDaemon(true);
  }

  /** An engine sending from the calling thread's network namespace, with its privileges. */
  public static IcmpEngine open(IcmpMode mode) throws IcmpUnavailableException {
    return open(mode, SocketContext.callingThread());
  }

  /**
   * Checks that {@code mode} works in {@code context} (by opening a socket) and starts the
   * engine's thread.
   *
   * @throws IcmpUnavailableException with the reason, e.g. "the process lacks CAP_NET_RAW"
   */
  public static IcmpEngine open(IcmpMode mode, SocketContext context) throws IcmpUnavailableException {
    var reason = IcmpSockets.unavailable(mode, context);
    if (reason.isPresent()) {
      throw new IcmpUnavailableException(reason.get());
    }
    int wakeFd;
    try {
      wakeFd = LinuxSockets.eventfd(0, LinuxSockets.EFD_NONBLOCK | LinuxSockets.EFD_CLOEXEC);
    } catch (LastErrorException e) {
      throw new IcmpUnavailableException("cannot create an eventfd: " + LinuxSockets.describe(e));
    }
    IcmpEngine engine = new IcmpEngine(mode, context, wakeFd);
    engine.thread.start();
    return engine;
  }

  public IcmpMode mode() {
    return mode;
  }

  @Override
  public String name() {
    return "native ICMP (" + mode.description() + ")";
  }

  /**
   * Starts the request's echoes; {@code callback} gets the result exactly once, on the engine
   * thread, when the last echo is answered or timed out. Never throws for a bad request: an
   * impossible one (mixed address families, a closed engine, a full queue) completes at once
   * with an error result.
   */
  @Override
  public void submit(EchoRequest request, EchoCallback callback) {
    if (!running) {
      deliver(callback, request, EchoResult.error(request.target(), "the ICMP engine is closed"));
      return;
    }
    if (!submissions.offer(request, callback)) {
      deliver(callback, request, EchoResult.error(request.target(), "the ICMP engine is overloaded: "
          + QUEUE_CAPACITY + " requests are waiting"));
      return;
    }
    int[] batch = batching.get();
    if (batch[0] > 0) {
      batch[1] = 1; // woken once at the batch's end
    } else if (sleeping.get()) {
      wake();
    }
  }

  @Override
  public void deliverWithin(Consumer<Runnable> scope) {
    deliveryScope = scope;
  }

  @Override
  public void submitTogether(Runnable submissions) {
    int[] batch = batching.get();
    batch[0]++;
    try {
      submissions.run();
    } finally {
      batch[0]--;
      if (batch[0] == 0 && batch[1] != 0) {
        batch[1] = 0;
        if (sleeping.get()) {
          wake();
        }
      }
    }
  }

  public EngineStats stats() {
    return new EngineStats(
        submitted, sent, answered, expired, sendErrors, late, duplicates, wrongHost, wrongPayload, malformed);
  }

  /** Stops the thread; requests still in flight complete with an error. Waits up to 2 s. */
  @Override
  public void close() {
    running = false;
    wake();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- the engine thread

  private void run() {
    try {
      while (running) {
        try {
          turn();
        } catch (RuntimeException e) {
          // A bug must not stop every tunnel's probes: log it and go on with the next turn.
          log.error("ICMP engine: unexpected failure, continuing", e);
        }
      }
    } finally {
      shutDown();
    }
  }

  private void turn() {
    deliveryScope.accept(sendAndExpireTask);
    long wait = timers.isEmpty() ? MAX_SLEEP_NANOS : Math.min(MAX_SLEEP_NANOS, timers.firstDeadline() - System.nanoTime());
    if (wait > 0) {
      sleeping.set(true);
      if (submissions.isEmpty() && running) {
        poll(wait);
      }
      sleeping.set(false);
    }
    deliveryScope.accept(receiveAllTask);
  }

  /** Sends what is due and expires what timed out: one batch of deliveries. */
  private void sendAndExpire() {
    takeSubmissions(System.nanoTime());
    runDueTimers();
    dropAnsweredExpiries();
  }

  private void takeSubmissions(long now) {
    int n;
    while ((n = submissions.drainTo(takenRequests, takenCallbacks, DRAIN_BATCH)) > 0) {
      for (int i = 0; i < n; i++) {
        EchoRequest request = takenRequests[i];
        EchoCallback callback = takenCallbacks[i];
        takenRequests[i] = null;
        takenCallbacks[i] = null;
        submitted++;
        begin(request, callback, now);
      }
    }
  }

  private void begin(EchoRequest request, EchoCallback callback, long now) {
    if (request.count() < 1 || (request.source() instanceof Inet6Address) != (request.target() instanceof Inet6Address)) {
      deliver(callback, request, EchoResult.error(request.target(), "source and target must be of one address family, count at least 1"));
      return;
    }
    IcmpSocket socket = socketFor(request.source());
    if (socket == null) {
      try {
        socket = IcmpSockets.open(mode, request.source(), rawIdentifier, context);
      } catch (IOException e) {
        deliver(callback, request, EchoResult.error(request.target(), e.getMessage()));
        return;
      }
      socketsBySource.put(request.source(), socket);
      lastSocket = socket;
      sockets.add(socket);
      socketsChanged = true;
      log.debug("ICMP engine: opened a {} socket for source {}", mode, IpAddresses.toText(request.source()));
    }
    ProbeFlight flight = freeFlights.poll();
    if (flight == null) {
      flight = new ProbeFlight(flights.size());
      flights.add(flight);
    }
    flight.start(request, callback, socket, now);
    sendNext(flight);
  }

  /**
   * The open socket for {@code source}, or null. Most gateways probe from one or a few LAN
   * addresses, so the previous request's socket usually fits and the map is not consulted.
   */
  private IcmpSocket socketFor(InetAddress source) {
    IcmpSocket last = lastSocket;
    if (last != null && last.source().equals(source)) {
      return last;
    }
    IcmpSocket socket = socketsBySource.get(source);
    if (socket != null) {
      lastSocket = socket;
    }
    return socket;
  }

  private void runDueTimers() {
    while (!timers.isEmpty() && timers.firstDeadline() - System.nanoTime() <= 0) {
      long token = timers.removeFirst();
      if ((token & 1) == 0) {
        sendNext(flights.get((int) (token >>> 1)));
      } else {
        int seq = (int) ((token >>> 1) & 0xffff);
        long serial = token >>> 17;
        ProbeFlight flight = table.expire(seq, serial);
        if (flight != null) {
          expired++;
          flight.settled++;
          finishIfDone(flight);
        }
      }
    }
  }

  /**
   * Removes expiry timers of echoes that were answered meanwhile from the front of the heap, so
   * that the engine does not wake up only to find nothing to expire: with every echo answered,
   * that halves the wake-ups.
   */
  private void dropAnsweredExpiries() {
    while (!timers.isEmpty()) {
      long token = timers.firstToken();
      if ((token & 1) == 0 || table.isWaiting((int) ((token >>> 1) & 0xffff), token >>> 17)) {
        return;
      }
      timers.removeFirst();
    }
  }

  private void sendNext(ProbeFlight flight) {
    int echo = flight.attempted++;
    long serial = nextSerial;
    nextSerial = nextSerial + 1 < SERIAL_LIMIT ? nextSerial + 1 : 1;
    IcmpSocket socket = flight.socket;
    int seq = table.reserve(flight, echo, socket.identifier(), serial);
    if (seq < 0) {
      failedSend(flight, "65536 echoes are in flight already");
    } else {
      int length = EchoCodec.encodeRequest(socket.ipv6(), socket.identifier(), seq, table.tag(), serial, sendBytes);
      sendBuffer.write(0, sendBytes, 0, length);
      int addressLength = SocketAddresses.encode(flight.target, flight.targetLength, 0, destinationBytes);
      destination.write(0, destinationBytes, 0, addressLength);
      long sentAt = System.nanoTime();
      table.sentAt(seq, sentAt);
      try {
        LinuxSockets.sendto(socket.fd(), sendBuffer, length, 0, destination, addressLength);
        flight.sent++;
        sent++;
        timers.add(sentAt + flight.timeoutNanos, ((serial << 16 | seq) << 1) | 1);
      } catch (LastErrorException e) {
        table.unreserve(seq);
        failedSend(
            flight,
            "cannot send to " + IpAddresses.toText(flight.request.target()) + " from "
                + IpAddresses.toText(socket.source()) + ": " + LinuxSockets.describe(e));
      }
    }
    if (!flight.allAttempted()) {
      timers.add(flight.nextSendAt(), (long) flight.index << 1);
    } else {
      finishIfDone(flight);
    }
  }

  private void failedSend(ProbeFlight flight, String why) {
    sendErrors++;
    flight.settled++;
    if (flight.firstSendError == null) {
      flight.firstSendError = why;
    }
  }

  private void finishIfDone(ProbeFlight flight) {
    if (!flight.done()) {
      return;
    }
    EchoResult result = flight.result();
    EchoRequest request = flight.request;
    EchoCallback callback = flight.callback;
    flight.release();
    freeFlights.push(flight);
    deliver(callback, request, result);
  }

  private void receiveAll() {
    for (int i = 0; i < sockets.size(); i++) {
      receive(sockets.get(i));
    }
  }

  /**
   * Reads what is queued. A reply's time is the kernel's receive time, not the time of the read:
   * replies queue up while the engine sends a burst, and a read time would add that wait to
   * their RTT.
   */
  private void receive(IcmpSocket socket) {
    long pairRealtime = received.realtimeNanos();
    long pairMonotonic = System.nanoTime();
    for (int reads = 0; reads < MAX_READS_PER_WAKEUP; ) {
      int n = received.receive(socket.fd());
      long readAt = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long receivedAt = ReceivedBatch.arrivalNanos(received.kernelRealtimeNanos(i), pairRealtime, pairMonotonic, readAt);
        int length = received.copyData(i, receiveBytes);
        int addressLength = received.copySender(i, senderBytes);
        handle(socket, length, addressLength, receivedAt);
      }
      if (n < received.size()) {
        return; // the queue is empty: no call just to hear so
      }
      reads += n;
    }
  }

  private void handle(IcmpSocket socket, int length, int addressLength, long receivedAt) {
    switch (EchoCodec.decode(receiveBytes, length, socket.ipv6(), socket.receivesIpv4Header(), reply)) {
      case MALFORMED -> malformed++;
      case OTHER_ICMP -> {
        // Another ICMP message that got past the filter (ping sockets have none): not ours.
      }
      case ECHO_REPLY -> {
        int addressBytes = socket.ipv6() ? 16 : 4;
        int offset = SocketAddresses.addressOffset(socket.ipv6());
        if (addressLength < offset + addressBytes) {
          malformed++;
          return;
        }
        switch (table.match(reply, senderBytes, offset, addressBytes, receivedAt)) {
          case ANSWER -> {
            answered++;
            ProbeFlight flight = table.matchedFlight();
            flight.answer(table.matchedEcho(), table.matchedRtt());
            finishIfDone(flight);
          }
          case FOREIGN -> {
            // Someone else's echo, seen because a raw socket sees every reply to the host.
          }
          case WRONG_PAYLOAD -> wrongPayload++;
          case WRONG_HOST -> wrongHost++;
          case LATE -> late++;
          case DUPLICATE -> duplicates++;
        }
      }
    }
  }

  private void poll(long waitNanos) {
    if (socketsChanged) {
      rebuildPollSet();
    }
    timespec.setLong(0, waitNanos / 1_000_000_000L);
    timespec.setLong(8, waitNanos % 1_000_000_000L);
    int ready = LinuxSockets.ppoll(pollFds, pollCount, timespec, null);
    if (ready > 0 && (pollFds.getShort(6) & LinuxSockets.POLLIN) != 0) {
      LinuxSockets.read(wakeFd, wakeBuffer, 8);
    }
  }

  /** struct pollfd { int fd; short events; short revents; }: the eventfd first, then the sockets. */
  private void rebuildPollSet() {
    pollCount = 1 + sockets.size();
    if (pollFds.size() < 8L * pollCount) {
      pollFds = new Memory(8L * pollCount * 2);
    }
    pollFds.setInt(0, wakeFd);
    pollFds.setShort(4, (short) LinuxSockets.POLLIN);
    for (int i = 0; i < sockets.size(); i++) {
      pollFds.setInt(8L * (i + 1), sockets.get(i).fd());
      pollFds.setShort(8L * (i + 1) + 4, (short) LinuxSockets.POLLIN);
    }
    socketsChanged = false;
  }

  private void wake() {
    LinuxSockets.write(wakeFd, wakeSignal, 8);
  }

  private void shutDown() {
    for (ProbeFlight flight : flights) {
      if (flight.request != null) {
        EchoRequest request = flight.request;
        EchoCallback callback = flight.callback;
        flight.release();
        deliver(callback, request, EchoResult.error(request.target(), "the ICMP engine was closed"));
      }
    }
    int n;
    while ((n = submissions.drainTo(takenRequests, takenCallbacks, DRAIN_BATCH)) > 0) {
      for (int i = 0; i < n; i++) {
        deliver(takenCallbacks[i], takenRequests[i], EchoResult.error(takenRequests[i].target(), "the ICMP engine was closed"));
      }
    }
    sockets.forEach(IcmpSockets::close);
    sockets.clear();
    socketsBySource.clear();
    lastSocket = null;
    LinuxSockets.close(wakeFd);
  }

  private static void deliver(EchoCallback callback, EchoRequest request, EchoResult result) {
    try {
      callback.completed(request, result);
    } catch (RuntimeException e) {
      log.warn("ICMP engine: a result callback failed: {}", e.toString());
    }
  }
}
