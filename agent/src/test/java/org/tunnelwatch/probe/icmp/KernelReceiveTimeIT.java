package org.tunnelwatch.probe.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.Prerequisites;
import org.tunnelwatch.probe.TestNamespace;

/**
 * The engine's sockets carry the kernel's receive time of each reply, so that a reply read late
 * is timed when it arrived: a real echo inside a test namespace, read 100 ms after its reply came
 * back, must be stamped well before the read. Both socket kinds.
 */
class KernelReceiveTimeIT {

  private static final long READ_DELAY_MILLIS = 100;

  @Test
  void aReplyReadLateIsTimedWhenItArrived() throws Exception {
    Prerequisites.requireRoot("to create a network namespace");
    for (IcmpMode mode : new IcmpMode[] {IcmpMode.RAW, IcmpMode.PING_SOCKET}) {
      try (TestNamespace ns = new TestNamespace().allowPingSockets()) {
        InetAddress local = InetAddress.getByName("198.51.100.1");
        IcmpSocket socket = IcmpSockets.open(mode, local, 0x4242, ns.socketContext());
        try {
          // The first socket that asks for receive times switches the kernel's timestamping on
          // in deferred work, after setsockopt has returned; replies before that are stamped when
          // read.
          TimeUnit.MILLISECONDS.sleep(200);
          sendEcho(socket, local);
          TimeUnit.MILLISECONDS.sleep(READ_DELAY_MILLIS); // the reply waits in the queue meanwhile
          ReceivedBatch received = new ReceivedBatch(8, 512);
          long pairRealtime = received.realtimeNanos();
          long pairMonotonic = System.nanoTime();

          int count = received.receive(socket.fd());
          long read = System.nanoTime();

          assertThat(count).as(mode + ": the reply is queued, and only it").isEqualTo(1);
          assertThat(received.length(0)).as(mode + ": an echo reply's length").isGreaterThanOrEqualTo(8 + EchoCodec.PAYLOAD_BYTES);
          assertThat(received.kernelRealtimeNanos(0)).as(mode + ": the kernel stamped it").isPositive();
          long arrival = ReceivedBatch.arrivalNanos(received.kernelRealtimeNanos(0), pairRealtime, pairMonotonic, read);
          assertThat(read - arrival)
              .as(mode + ": stamped on arrival, not when read")
              .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(READ_DELAY_MILLIS / 2));
        } finally {
          IcmpSockets.close(socket);
        }
      }
    }
  }

  private static void sendEcho(IcmpSocket socket, InetAddress target) {
    byte[] request = new byte[EchoCodec.REQUEST_BYTES];
    int length = EchoCodec.encodeRequest(false, socket.identifier(), 1, 7, 1, request);
    Memory requestMemory = new Memory(length);
    requestMemory.write(0, request, 0, length);
    byte[] address = new byte[SocketAddresses.MAX_LENGTH];
    int addressLength = SocketAddresses.encode(target, address);
    Memory addressMemory = new Memory(SocketAddresses.MAX_LENGTH);
    addressMemory.write(0, address, 0, addressLength);
    LinuxSockets.sendto(socket.fd(), requestMemory, length, 0, addressMemory, addressLength);
  }
}
