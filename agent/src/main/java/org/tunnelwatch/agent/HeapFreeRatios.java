package org.tunnelwatch.agent;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much of its heap the JVM keeps free, chosen by the number of tunnels. The serial collector
 * sizes the old generation after each full collection so that {@code MinHeapFreeRatio} of it (40 %
 * by default) is free, shrinks it only beyond {@code MaxHeapFreeRatio} (70 %), and the young
 * generation follows the old one. At ten tunnels a burst of scrapes makes one full collection and
 * the heap grows from 8 to 14 MB for a live set of 5.4; with 10 and 20 % it stays near 9. At a
 * thousand tunnels the same ratios mean a full collection every few seconds, about 40 % more CPU
 * (docs/benchmarks.md), so above {@link #FEW_TUNNELS} the JVM's own ratios apply.
 *
 * <p>Both flags are manageable: they change in the running JVM, and a reload that adds or removes
 * tunnels chooses again. Ratios an operator set on the command line ({@code
 * TUNNELWATCH_JAVA_OPTS}) are theirs and stay.
 */
final class HeapFreeRatios {

  /** Up to this many tunnels, a tight heap costs nothing measurable. */
  static final int FEW_TUNNELS = 100;

  static final String MIN = "MinHeapFreeRatio";
  static final String MAX = "MaxHeapFreeRatio";
  static final int FEW_MIN = 10;
  static final int FEW_MAX = 20;

  private static final Logger log = LoggerFactory.getLogger(HeapFreeRatios.class);

  /** The JVM's flags, as the diagnostic bean reads and writes them. */
  interface VmFlags {
    /** The flag's value, or null when somebody else set it (the operator, at the start: kept). */
    Integer ownValue(String name);

    void set(String name, int value);
  }

  private final VmFlags flags;
  private final Integer defaultMin;
  private final Integer defaultMax;

  HeapFreeRatios(VmFlags flags) {
    this.flags = flags;
    this.defaultMin = flags.ownValue(MIN);
    this.defaultMax = flags.ownValue(MAX);
  }

  private static HeapFreeRatios thisJvm;

  /**
   * The running JVM's: one for the process, made on first use, so that the ratios it found are
   * the JVM's own and not those an earlier choice set. Changes nothing where the bean cannot be
   * had.
   */
  static synchronized HeapFreeRatios ofThisJvm() {
    if (thisJvm == null) {
      thisJvm = new HeapFreeRatios(hotSpotFlags());
    }
    return thisJvm;
  }

  /** Chooses the ratios for this many tunnels. */
  void chooseFor(int tunnels) {
    if (defaultMin == null || defaultMax == null) {
      return;
    }
    try {
      // Min may never exceed Max: lower Min first, raise Max first.
      if (tunnels <= FEW_TUNNELS) {
        flags.set(MIN, Math.min(FEW_MIN, defaultMin));
        flags.set(MAX, Math.min(FEW_MAX, defaultMax));
      } else {
        flags.set(MAX, defaultMax);
        flags.set(MIN, defaultMin);
      }
    } catch (RuntimeException e) {
      log.debug("the heap's free ratios stay as they are: {}", e.toString());
    }
  }

  /** This JVM's flags, through HotSpot's diagnostic bean. */
  static VmFlags hotSpotFlags() {
    return HotSpotFlags.read();
  }

  /** {@link VmFlags} through HotSpot's diagnostic bean. */
  private static final class HotSpotFlags implements VmFlags {
    private final HotSpotDiagnosticMXBean bean;

    private HotSpotFlags(HotSpotDiagnosticMXBean bean) {
      this.bean = bean;
    }

    static VmFlags read() {
      try {
        return new HotSpotFlags(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class));
      } catch (RuntimeException | LinkageError e) {
        log.debug("no HotSpot diagnostic bean; the heap's free ratios stay as they are: {}", e.toString());
        return new VmFlags() {
          @Override
          public Integer ownValue(String name) {
            return null;
          }

          @Override
          public void set(String name, int value) {}
        };
      }
    }

    @Override
    public Integer ownValue(String name) {
      VMOption option = bean.getVMOption(name);
      // Set on the command line, in a flags file or JAVA_TOOL_OPTIONS: the operator's.
      VMOption.Origin origin = option.getOrigin();
      boolean jvms = origin == VMOption.Origin.DEFAULT || origin == VMOption.Origin.ERGONOMIC;
      return jvms ? Integer.valueOf(option.getValue()) : null;
    }

    @Override
    public void set(String name, int value) {
      bean.setVMOption(name, Integer.toString(value));
    }
  }
}
