package org.tunnelwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The heap's free ratios by tunnel count: the order of the writes, whose flags they are. */
class HeapFreeRatiosTest {

  /** Flags in a map; records each write, refuses Min above Max as the JVM does. */
  private static final class FakeFlags implements HeapFreeRatios.VmFlags {
    final Map<String, Integer> values = new HashMap<>(Map.of("MinHeapFreeRatio", 40, "MaxHeapFreeRatio", 70));
    final List<String> writes = new ArrayList<>();
    boolean operatorSet;

    @Override
    public Integer ownValue(String name) {
      return operatorSet ? null : values.get(name);
    }

    @Override
    public void set(String name, int value) {
      Map<String, Integer> next = new HashMap<>(values);
      next.put(name, value);
      if (next.get("MinHeapFreeRatio") > next.get("MaxHeapFreeRatio")) {
        throw new IllegalArgumentException(name + "=" + value + " would put Min above Max");
      }
      values.putAll(next);
      writes.add(name + "=" + value);
    }
  }

  @Test
  void fewTunnelsGetATightHeapAndManyTheJvmsOwnRatiosBack() {
    FakeFlags flags = new FakeFlags();
    HeapFreeRatios ratios = new HeapFreeRatios(flags);

    ratios.chooseFor(10);
    assertThat(flags.values).containsEntry("MinHeapFreeRatio", 10).containsEntry("MaxHeapFreeRatio", 20);

    ratios.chooseFor(HeapFreeRatios.FEW_TUNNELS + 1);
    assertThat(flags.values).containsEntry("MinHeapFreeRatio", 40).containsEntry("MaxHeapFreeRatio", 70);
    assertThat(flags.writes)
        .containsExactly("MinHeapFreeRatio=10", "MaxHeapFreeRatio=20", "MaxHeapFreeRatio=70", "MinHeapFreeRatio=40");
  }

  @Test
  void ratiosTheOperatorSetStayTheirs() {
    FakeFlags flags = new FakeFlags();
    flags.operatorSet = true;
    new HeapFreeRatios(flags).chooseFor(10);
    assertThat(flags.writes).isEmpty();
  }

  @Test
  void aRefusedWriteLeavesTheAgentRunning() {
    FakeFlags flags = new FakeFlags();
    HeapFreeRatios ratios = new HeapFreeRatios(flags);
    flags.values.put("MaxHeapFreeRatio", 5);
    ratios.chooseFor(10);
    assertThat(flags.values).containsEntry("MinHeapFreeRatio", 40);
  }

  @Test
  void thisJvmsFlagsChangeWhileItRuns() {
    HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    String min = bean.getVMOption("MinHeapFreeRatio").getValue();
    String max = bean.getVMOption("MaxHeapFreeRatio").getValue();
    HeapFreeRatios ratios = new HeapFreeRatios(HeapFreeRatios.hotSpotFlags());
    try {
      ratios.chooseFor(3);
      assertThat(bean.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo("10");
      assertThat(bean.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo("20");
      ratios.chooseFor(5_000);
      assertThat(bean.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo(min);
      assertThat(bean.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo(max);
    } finally {
      bean.setVMOption("MaxHeapFreeRatio", max);
      bean.setVMOption("MinHeapFreeRatio", min);
    }
  }
}
