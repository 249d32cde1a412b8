package org.tunnelwatch.ipsec.swanctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelwatch.Fixtures;
import org.tunnelwatch.config.BackendConfig;
import org.tunnelwatch.config.BackendType;
import org.tunnelwatch.exec.ProcessCommandRunner;
import org.tunnelwatch.input.InputLimits;
import org.tunnelwatch.ipsec.BackendException;

/**
 * A swanctl (a real program, printing recorded output many times) whose listing is longer than
 * the runner keeps: the cut listing is refused by name, never parsed as if it were whole.
 */
class SwanctlOutputLimitTest {

  @TempDir Path dir;

  private SwanctlBackend swanctlPrinting(int copies) throws Exception {
    Path sa = Files.writeString(dir.resolve("sa.txt"), Fixtures.read("swanctl/list-sas-raw-installed.txt"));
    Path swanctl = dir.resolve("swanctl");
    Files.writeString(swanctl, "#!/bin/sh\ni=0\nwhile [ $i -lt " + copies + " ]; do cat " + sa + "; i=$((i+1)); done\n");
    Files.setPosixFilePermissions(swanctl, PosixFilePermissions.fromString("rwx------"));
    BackendConfig config = new BackendConfig(BackendType.SWANCTL, swanctl, "unix:///run/x.vici", "true", Duration.ofSeconds(30));
    return new SwanctlBackend(config, new ProcessCommandRunner());
  }

  @Test
  void aListingLongerThanTheLimitIsRefusedNotParsedCut() throws Exception {
    int copies = InputLimits.PROCESS_OUTPUT_BYTES / Fixtures.read("swanctl/list-sas-raw-installed.txt").length() + 10;

    assertThatThrownBy(() -> swanctlPrinting(copies).listSas())
        .isInstanceOf(BackendException.class)
        .hasMessage("swanctl --list-sas printed more than 1 MiB; not read (the vici backend has no such limit per SA)");
  }

  @Test
  void aThousandSasFitTheLimit() throws Exception {
    assertThat(swanctlPrinting(1_000).listSas()).hasSize(1_000);
  }
}
