package org.tunnelwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The trim gives freed C heap back: real malloc, real free, the process's own resident set. */
@EnabledOnOs(OS.LINUX)
class NativeHeapTrimTest {

  private static final int BLOCK = 64 * 1024; // below glibc's mmap threshold: from the heap
  private static final int BLOCKS = 512; // 32 MiB

  @Test
  void freedHeapMemoryBelowALiveBlockLeavesTheResidentSetOnlyWhenTrimmed() throws IOException {
    assumeTrue(NativeHeapTrim.ifAvailable().isPresent(), "this C library has no malloc_trim (not glibc)");
    NativeHeapTrim trim = NativeHeapTrim.ifAvailable().orElseThrow();
    trim.trim();
    List<Long> blocks = new ArrayList<>();
    for (int i = 0; i < BLOCKS; i++) {
      long peer = Native.malloc(BLOCK);
      new Pointer(peer).setMemory(0, BLOCK, (byte) 1);
      blocks.add(peer);
    }
    // The last block stays: what lies below the top of the heap is not given back by free().
    long kept = blocks.remove(blocks.size() - 1);
    try {
      blocks.forEach(Native::free);
      long beforeKib = residentKib();
      assertThat(trim.trim()).isTrue();
      long afterKib = residentKib();
      assertThat(beforeKib - afterKib).as("KiB given back").isGreaterThan(BLOCKS * (BLOCK / 1024) / 2);
    } finally {
      Native.free(kept);
    }
  }

  private static long residentKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
