package org.tunnelwatch.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code --log.level} and {@code --log.format} to the logging that {@link
 * StderrLogConfigurator} set up (one appender, {@code STDERR}, whose lines start as {@link
 * LineStartConverter} says). Called once, before the agent starts.
 */
public final class LogSetup {

  static final String APPENDER = "STDERR";

  private LogSetup() {}

  public static void apply(LogFormat format, Optional<LogLevel> level) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    level.ifPresent(l -> root.setLevel(l.logback));
    if (format == LogFormat.JSON) {
      Appender<ILoggingEvent> appender = root.getAppender(APPENDER);
      if (appender instanceof OutputStreamAppender<ILoggingEvent> stream) {
        LayoutWrappingEncoder<ILoggingEvent> encoder = encoder(context, new JsonLineLayout(JournalStream.stderrIsJournal()));
        stream.stop();
        stream.setEncoder(encoder);
        stream.start();
      }
    }
  }

  /** {@code layout} started in {@code context}, and an encoder that writes its lines. */
  static LayoutWrappingEncoder<ILoggingEvent> encoder(LoggerContext context, LayoutBase<ILoggingEvent> layout) {
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    return encoder;
  }
}
