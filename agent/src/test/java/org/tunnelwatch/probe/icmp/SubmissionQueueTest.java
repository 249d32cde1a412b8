package org.tunnelwatch.probe.icmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.probe.EchoCallback;
import org.tunnelwatch.probe.EchoRequest;

class SubmissionQueueTest {

  private static final EchoCallback IGNORED = (request, result) -> {};

  private static EchoRequest request(int n) {
    // The count tells the requests apart (records compare by value).
    return new EchoRequest(
        InetAddress.getLoopbackAddress(), InetAddress.getLoopbackAddress(), n + 1, Duration.ZERO, Duration.ofSeconds(1));
  }

  private static List<EchoRequest> drainAll(SubmissionQueue queue) {
    EchoRequest[] requests = new EchoRequest[3];
    EchoCallback[] callbacks = new EchoCallback[3];
    List<EchoRequest> taken = new ArrayList<>();
    int n;
    while ((n = queue.drainTo(requests, callbacks, 3)) > 0) {
      for (int i = 0; i < n; i++) {
        taken.add(requests[i]);
        assertThat(callbacks[i]).isSameAs(IGNORED);
      }
    }
    return taken;
  }

  @Test
  void theRingDoublesWhenFullAndKeepsTheOrderOfWhatWaits() {
    SubmissionQueue queue = new SubmissionQueue(4, 64);
    List<EchoRequest> offered = new ArrayList<>();
    // Move the head off the ring's start first, so that growing has a wrapped ring to unroll.
    for (int i = 0; i < 3; i++) {
      queue.offer(request(100 + i), IGNORED);
    }
    drainAll(queue);
    for (int i = 0; i < 10; i++) {
      EchoRequest request = request(i);
      assertThat(queue.offer(request, IGNORED)).isTrue();
      offered.add(request);
    }

    assertThat(queue.capacity()).isEqualTo(16);
    assertThat(drainAll(queue)).containsExactlyElementsOf(offered);
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void aFullRingAtItsBoundRefuses() {
    SubmissionQueue queue = new SubmissionQueue(2, 8);
    for (int i = 0; i < 8; i++) {
      assertThat(queue.offer(request(i), IGNORED)).isTrue();
    }

    assertThat(queue.offer(request(8), IGNORED)).isFalse();
    assertThat(queue.capacity()).isEqualTo(8);
    assertThat(drainAll(queue)).hasSize(8);
    assertThat(queue.offer(request(9), IGNORED)).isTrue();
  }

  @Test
  void requestsThatComeAndGoKeepTheRingSmall() {
    SubmissionQueue queue = new SubmissionQueue(4, 1024);
    for (int round = 0; round < 1000; round++) {
      for (int i = 0; i < 3; i++) {
        queue.offer(request(i), IGNORED);
      }
      assertThat(drainAll(queue)).hasSize(3);
    }

    assertThat(queue.capacity()).isEqualTo(4);
  }

  @Test
  void aBoundBelowTheFirstSizeIsRefused() {
    assertThatThrownBy(() -> new SubmissionQueue(16, 8)).isInstanceOf(IllegalArgumentException.class);
  }
}
