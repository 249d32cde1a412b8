package org.tunnelwatch.ipsec.vici;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands to charon over VICI: {@code version}, {@code list-sas}, {@code list-conns}, {@code
 * initiate}, {@code terminate} and {@code rekey}, each with a deadline. The connection is opened
 * on first use and dropped after any error (the stream's position is then unknown), so the next
 * call starts afresh: a charon restart costs one failed call, not a broken client.
 *
 * <p>Each command's whole reply, every packet of a streamed one included, is read within one
 * {@link ViciBudget} ({@link org.tunnelwatch.input.InputLimits}): a reply past it is refused
 * rather than piled up in memory.
 *
 * <p>VICI has no request ids, so only one command may be in flight on a connection; the client
 * serialises its callers. {@link #close()} does not wait for them: it cuts the connection under a
 * command in flight, which then fails at once, and refuses every command after. Thread-safe.
 */
public final class ViciClient implements AutoCloseable {

  /** How much longer than charon's own timeout we wait for its answer to initiate/terminate. */
  private static final Duration MARGIN = Duration.ofSeconds(2);

  private final Path socket;
  private final Duration timeout;
  /** Written under the lock; read without it by {@link #close()}, which must not wait for a command. */
  private volatile ViciConnection connection;
  private volatile boolean closed;

  /**
   * @param socket charon's VICI socket
   * @param timeout how long one plain command may take
   */
  public ViciClient(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  public Path socket() {
    return socket;
  }

  /** {@code version}: daemon, version, sysname, release, machine. */
  public ViciMessage version() throws IOException {
    return request("version", ViciMessage.empty(), timeout);
  }

  /** {@code list-sas}: one message per IKE SA, {@code {<ike name> = {...}}}. */
  public List<ViciMessage> listSas() throws IOException {
    return streamed("list-sas", "list-sa", ViciMessage.empty(), timeout);
  }

  /** {@code list-conns}: one message per loaded connection, {@code {<name> = {...}}}. */
  public List<ViciMessage> listConns() throws IOException {
    return streamed("list-conns", "list-conn", ViciMessage.empty(), timeout);
  }

  /**
   * {@code initiate}: brings up CHILD SA {@code child} of connection {@code ike} and waits until
   * it is up, charon gives up, or {@code wait} passes.
   */
  public void initiate(String ike, String child, Duration wait) throws IOException {
    ViciMessage args =
        ViciMessage.builder()
            .add("child", child)
            .add("ike", ike)
            .add("timeout", Long.toString(wait.toMillis()))
            .build();
    checkSuccess("initiate", request("initiate", args, wait.plus(MARGIN)));
  }

  /**
   * {@code terminate} of every IKE SA of connection {@code ike}; {@code force} deletes it locally
   * without waiting for the peer, which a crashed peer never answers. With {@code force} no
   * timeout goes to charon: it reads force plus a timeout as "wait that long for the peer's
   * answer, then destroy", which after a peer crash cost the whole timeout.
   */
  public void terminateIke(String ike, boolean force, Duration wait) throws IOException {
    ViciMessage.Builder args = ViciMessage.builder().add("ike", ike);
    if (force) {
      args.add("force", "yes");
    } else {
      args.add("timeout", Long.toString(wait.toMillis()));
    }
    checkSuccess("terminate", request("terminate", args.build(), wait.plus(MARGIN)));
  }

  /**
   * {@code terminate} of the CHILD SAs named {@code child} under the IKE SAs of connection {@code
   * ike}. A negative timeout tells charon not to wait for the peer's answer to the DELETE: the SA
   * is gone locally at once, and a dead peer costs nothing.
   */
  public void terminateChild(String ike, String child) throws IOException {
    ViciMessage args = ViciMessage.builder().add("child", child).add("ike", ike).add("timeout", "-1").build();
    checkSuccess("terminate", request("terminate", args, timeout));
  }

  /** {@code rekey} of the IKE SAs of connection {@code ike}; charon rekeys in the background. */
  public void rekeyIke(String ike) throws IOException {
    checkSuccess("rekey", request("rekey", ViciMessage.builder().add("ike", ike).build(), timeout));
  }

  /**
   * {@code rekey} with {@code reauth} of the IKE SAs of connection {@code ike}: a new IKE SA from
   * IKE_SA_INIT replaces each; charon does it in the background.
   */
  public void reauthIke(String ike) throws IOException {
    checkSuccess(
        "rekey", request("rekey", ViciMessage.builder().add("ike", ike).add("reauth", "yes").build(), timeout));
  }

  /** {@code rekey} of the CHILD SAs named {@code child} under the IKE SAs of connection {@code ike}. */
  public void rekeyChild(String ike, String child) throws IOException {
    checkSuccess(
        "rekey", request("rekey", ViciMessage.builder().add("ike", ike).add("child", child).build(), timeout));
  }

  /** {@code rekey} of the CHILD SAs named {@code child}. */
  public void rekeyChild(String child) throws IOException {
    checkSuccess("rekey", request("rekey", ViciMessage.builder().add("child", child).build(), timeout));
  }

  /** Sends any command and returns charon's response. */
  public synchronized ViciMessage request(String command, ViciMessage args, Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    ViciBudget budget = new ViciBudget("charon's reply to " + command);
    ViciConnection c = connection();
    try {
      c.send(Packet.request(command, args), left(deadline, wait));
      while (true) {
        Packet reply = c.receive(left(deadline, wait), budget);
        switch (reply.type()) {
          case CMD_RESPONSE -> {
            return reply.message();
          }
          case CMD_UNKNOWN -> throw new ViciCommandException("charon does not know the command \"" + command + "\"");
          case EVENT -> {
            // An event we did not ask for on this connection: nothing registered it; skip it.
          }
          default -> throw new ViciProtocolException("unexpected " + reply.type() + " packet in reply to " + command);
        }
      }
    } catch (IOException | RuntimeException e) {
      drop();
      throw e;
    }
  }

  /**
   * Sends a streamed command: registers for {@code event}, collects every such event until the
   * response, and unregisters.
   */
  public synchronized List<ViciMessage> streamed(String command, String event, ViciMessage args, Duration wait)
      throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    ViciBudget budget = new ViciBudget("charon's reply to " + command);
    ViciConnection c = connection();
    try {
      register(c, Packet.register(event), deadline, wait, budget);
      c.send(Packet.request(command, args), left(deadline, wait));
      List<ViciMessage> events = new ArrayList<>();
      while (true) {
        Packet reply = c.receive(left(deadline, wait), budget);
        if (reply.type() == PacketType.EVENT && reply.name().equals(event)) {
          events.add(reply.message());
        } else if (reply.type() == PacketType.CMD_RESPONSE) {
          break;
        } else if (reply.type() == PacketType.CMD_UNKNOWN) {
          throw new ViciCommandException("charon does not know the command \"" + command + "\"");
        } else if (reply.type() != PacketType.EVENT) {
          throw new ViciProtocolException("unexpected " + reply.type() + " packet in reply to " + command);
        }
      }
      register(c, Packet.unregister(event), deadline, wait, budget);
      return events;
    } catch (IOException | RuntimeException e) {
      drop();
      throw e;
    }
  }

  /** Drops the connection (charon restarted); the next command connects afresh. */
  public synchronized void disconnect() {
    drop();
  }

  /** Cuts the connection now, even under a command in flight, and refuses every command after. */
  @Override
  public void close() {
    closed = true;
    ViciConnection c = connection;
    if (c != null) {
      c.close();
    }
  }

  private static void register(ViciConnection c, Packet packet, long deadline, Duration wait, ViciBudget budget)
      throws IOException {
    c.send(packet, left(deadline, wait));
    while (true) {
      Packet reply = c.receive(left(deadline, wait), budget);
      switch (reply.type()) {
        case EVENT_CONFIRM -> {
          return;
        }
        case EVENT_UNKNOWN -> throw new ViciCommandException("charon has no event \"" + packet.name() + "\"");
        case EVENT -> {
          // Left over from an earlier registration; skip it.
        }
        default -> throw new ViciProtocolException("unexpected " + reply.type() + " packet in reply to " + packet.type());
      }
    }
  }

  private static void checkSuccess(String command, ViciMessage reply) throws ViciCommandException {
    if (!reply.yes("success")) {
      String why = reply.text("errmsg").filter(s -> !s.isBlank()).orElse("no reason given");
      throw new ViciCommandException(command + " failed: " + why);
    }
  }

  private ViciConnection connection() throws IOException {
    if (closed) {
      throw new IOException("the VICI client is closed (the agent is stopping)");
    }
    if (connection == null || !connection.isOpen()) {
      connection = ViciConnection.open(socket);
    }
    return connection;
  }

  private void drop() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  /** What is left of the overall budget; an exhausted budget is a timeout, named as such. */
  private static Duration left(long deadline, Duration wait) throws ViciTimeoutException {
    long nanos = deadline - System.nanoTime();
    if (nanos <= 0) {
      throw new ViciTimeoutException("charon took longer than " + wait.toMillis() + "ms to answer");
    }
    return Duration.ofNanos(nanos);
  }
}
