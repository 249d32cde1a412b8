package org.tunnelwatch.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

/**
 * The text format ({@code --log.format=logfmt}, the default): what logback.xml's pattern {@code
 * %lineStart%-5level %logger{0}: %msg%n} wrote, followed by the stack trace of a thrown exception
 * (Logback's own {@link ThrowableProxyConverter}, as a pattern adds it), e.g.
 *
 * <pre>
 * 2026-12-02T21:24:36.909Z INFO  events: tunnel=sg1 state unknown -&gt; up reason="..."
 * &lt;6&gt;INFO  events: ...            (stderr is the journal: the priority, no time)
 * </pre>
 *
 * <p>Written by hand rather than by Logback's PatternLayout, whose table of conversion words
 * alone is 68 classes (one lambda each) and whose parser some 40 more: memory kept for good for
 * five fixed fields.
 */
final class TextLineLayout extends LayoutBase<ILoggingEvent> {

  private final boolean journal;
  private final ThrowableProxyConverter stackTrace = new ThrowableProxyConverter();

  TextLineLayout(boolean journal) {
    this.journal = journal;
  }

  @Override
  public void start() {
    stackTrace.setContext(getContext());
    stackTrace.start();
    super.start();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    line.append(journal ? SyslogPriority.prefix(event.getLevel()) : LineStartConverter.time(event.getTimeStamp()));
    String level = event.getLevel().toString();
    line.append(level);
    for (int i = level.length(); i < 5; i++) {
      line.append(' '); // %-5level
    }
    String logger = event.getLoggerName();
    line.append(' ').append(logger, logger.lastIndexOf('.') + 1, logger.length()); // %logger{0}
    line.append(": ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    if (event.getThrowableProxy() != null) {
      line.append(stackTrace.convert(event));
    }
    return line.toString();
  }
}
