package org.tunnelwatch.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The agent's logging, set up in code (a {@link Configurator} service, which Logback asks
 * before it looks for logback.xml): one appender, {@value LogSetup#APPENDER}, writing lines
 * as {@link TextLineLayout} makes them to stderr; Quartz at WARN; the root at {@code
 * tunnelwatch.log.level} (default INFO). {@link LogSetup} then applies {@code run --log.level} and {@code --log.format}.
 *
 * <p>Why not logback.xml: reading it loads Logback's Joran, the JDK's XML parser and
 * java.beans, some 650 classes with the pattern layout (about 4 MB of metaspace and class data, resident for good)
 * that do nothing after the first few milliseconds. With {@code -Dlogback.configurationFile=}
 * an operator's file still wins: this configurator then leaves the work to Logback's own.
 */
public final class StderrLogConfigurator extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LayoutWrappingEncoder<ILoggingEvent> encoder = LogSetup.encoder(context, new TextLineLayout(JournalStream.stderrIsJournal()));

    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(LogSetup.APPENDER);
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();

    context.getLogger("org.quartz").setLevel(Level.WARN);
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    // As logback.xml's level="${tunnelwatch.log.level:-INFO}" did: a name Logback does not know is DEBUG.
    root.setLevel(Level.toLevel(System.getProperty("tunnelwatch.log.level", "INFO")));
    root.addAppender(appender);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
