package org.tunnelwatch.probe.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TimerHeapTest {

  static LongStream seeds() {
    return LongStream.range(0, 300);
  }

  /** 300 generated sets of up to 300 deadlines, offsets of any sign and size. */
  @ParameterizedTest
  @MethodSource("seeds")
  void timersComeOutInDeadlineOrder(long seed) {
    Random random = new Random(seed);
    List<Integer> offsets = new ArrayList<>();
    for (int n = random.nextInt(301); n > 0; n--) {
      offsets.add(random.nextBoolean() ? random.nextInt() : random.nextInt(2001) - 1000);
    }
    TimerHeap heap = new TimerHeap(1);
    long base = Long.MAX_VALUE - 1_000; // nanoTime values may be anywhere, even about to wrap
    for (int i = 0; i < offsets.size(); i++) {
      heap.add(base + offsets.get(i), i);
    }
    List<Long> out = new ArrayList<>();
    long previous = Long.MIN_VALUE;
    boolean first = true;
    while (!heap.isEmpty()) {
      long deadline = heap.firstDeadline();
      if (!first) {
        assertThat(deadline - previous).isNotNegative();
      }
      first = false;
      previous = deadline;
      out.add(heap.removeFirst());
    }
    assertThat(out).hasSize(offsets.size());
  }

  @Test
  void interleavedAddsAndRemovesKeepOrder() {
    TimerHeap heap = new TimerHeap(4);
    Random random = new Random(1);
    long now = 0;
    for (int i = 0; i < 10_000; i++) {
      heap.add(now + random.nextInt(1000), i);
      if (i % 3 == 0) {
        long d = heap.firstDeadline();
        heap.removeFirst();
        assertThat(heap.isEmpty() || heap.firstDeadline() >= d).isTrue();
        now = d;
      }
    }
  }
}
