package org.tunnelwatch.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * {@code %lineStart}, for an operator's own logback.xml ({@code -Dlogback.configurationFile=};
 * the agent's own lines start the same way, {@link TextLineLayout}): what a line begins with. In
 * the journal, its syslog priority ({@code <6>}) and no time, since journald stamps every line
 * itself; elsewhere, its time ({@code 2026-12-02T21:24:36.909Z }).
 */
public final class LineStartConverter extends ClassicConverter {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX ").withZone(ZoneId.systemDefault());

  private boolean journal;

  @Override
  public void start() {
    journal = JournalStream.stderrIsJournal();
    super.start();
  }

  @Override
  public String convert(ILoggingEvent event) {
    return journal ? SyslogPriority.prefix(event.getLevel()) : time(event.getTimeStamp());
  }

  static String time(long epochMillis) {
    return TIME.format(Instant.ofEpochMilli(epochMillis));
  }
}
