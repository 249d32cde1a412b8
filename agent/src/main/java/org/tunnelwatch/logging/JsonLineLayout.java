package org.tunnelwatch.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line ({@code --log.format=json}): time (not in the journal, which stamps
 * lines itself), level, logger, message, and each key-value pair the line carries (tunnel, state,
 * action, result, ...) as a field of its own, so that a log shipper needs no parsing of the
 * message. In the journal the line starts with its syslog priority, as in the text format.
 *
 * <pre>
 * {"time":"2026-12-02T21:24:39.466Z","level":"info","logger":"events","message":"tunnel=sg1 state unknown -> up reason=\"...\"","tunnel":"sg1","state":"up",...}
 * </pre>
 */
final class JsonLineLayout extends LayoutBase<ILoggingEvent> {

  private static final JsonFactory JSON = new JsonFactory();

  private final boolean journal;

  JsonLineLayout(boolean journal) {
    this.journal = journal;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    StringWriter out = new StringWriter(256);
    if (journal) {
      out.append(SyslogPriority.prefix(event.getLevel()));
    }
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      if (!journal) {
        json.writeStringField("time", LineStartConverter.time(event.getTimeStamp()).strip());
      }
      json.writeStringField("level", event.getLevel().toString().toLowerCase(java.util.Locale.ROOT));
      String logger = event.getLoggerName();
      json.writeStringField("logger", logger.substring(logger.lastIndexOf('.') + 1));
      json.writeStringField("message", event.getFormattedMessage());
      if (event.getKeyValuePairs() != null) {
        for (KeyValuePair pair : event.getKeyValuePairs()) {
          json.writeStringField(pair.key, String.valueOf(pair.value));
        }
      }
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        json.writeStringField("error", thrown.getClassName() + ": " + thrown.getMessage());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.append('\n').toString();
  }
}
