package org.tunnelwatch.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class JsonLineLayoutTest {

  private static LoggingEvent event(Level level, String message) {
    LoggerContext context = new LoggerContext();
    LoggingEvent event = new LoggingEvent("test", context.getLogger("org.tunnelwatch.events"), level, message, null, null);
    event.setTimeStamp(1_796_238_276_909L);
    return event;
  }

  private static JsonNode parse(String line) throws Exception {
    assertThat(line).endsWith("\n").doesNotContain("\n\n");
    return new ObjectMapper().readTree(line);
  }

  @Test
  void theLinesKeyValuePairsBecomeFieldsBesideTheMessage() throws Exception {
    LoggingEvent event = event(Level.INFO, "tunnel=sg1 action=reinitiate result=success took=84ms");
    event.addKeyValuePair(new KeyValuePair("tunnel", "sg1"));
    event.addKeyValuePair(new KeyValuePair("action", "reinitiate"));
    event.addKeyValuePair(new KeyValuePair("result", "success"));

    JsonNode json = parse(new JsonLineLayout(false).doLayout(event));

    assertThat(json.get("tunnel").asText()).isEqualTo("sg1");
    assertThat(json.get("action").asText()).isEqualTo("reinitiate");
    assertThat(json.get("result").asText()).isEqualTo("success");
    assertThat(json.get("level").asText()).isEqualTo("info");
    assertThat(json.get("logger").asText()).isEqualTo("events");
    assertThat(json.get("message").asText()).isEqualTo("tunnel=sg1 action=reinitiate result=success took=84ms");
    assertThat(json.get("time").asText()).isEqualTo(LineStartConverter.time(1_796_238_276_909L).strip());
  }

  @Test
  void inTheJournalALineStartsWithItsPriorityAndCarriesNoTime() throws Exception {
    String line = new JsonLineLayout(true).doLayout(event(Level.WARN, "uplink=wan down"));

    assertThat(line).startsWith("<4>{");
    JsonNode json = parse(line.substring(3));
    assertThat(json.has("time")).isFalse();
    assertThat(json.get("level").asText()).isEqualTo("warn");
  }

  @Test
  void quotesAndNewlinesInAMessageStayInsideOneLine() throws Exception {
    String line = new JsonLineLayout(false).doLayout(event(Level.ERROR, "bad \"file\"\nline 2"));

    assertThat(parse(line).get("message").asText()).isEqualTo("bad \"file\"\nline 2");
  }
}
