package org.tunnelwatch.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;

class SyslogPriorityTest {

  @Test
  void eachLevelMapsToTheSyslogPriorityJournaldFilters() {
    assertThat(SyslogPriority.prefix(Level.ERROR)).isEqualTo("<3>");
    assertThat(SyslogPriority.prefix(Level.WARN)).isEqualTo("<4>");
    assertThat(SyslogPriority.prefix(Level.INFO)).isEqualTo("<6>");
    assertThat(SyslogPriority.prefix(Level.DEBUG)).isEqualTo("<7>");
    assertThat(SyslogPriority.prefix(Level.TRACE)).isEqualTo("<7>");
  }
}
