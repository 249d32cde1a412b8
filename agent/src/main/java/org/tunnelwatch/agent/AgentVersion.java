package org.tunnelwatch.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version the build stamped into {@code version.properties}. */
public final class AgentVersion {

  private AgentVersion() {}

  public static String get() {
    try (InputStream in = AgentVersion.class.getResourceAsStream("/org/tunnelwatch/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties props = new Properties();
      props.load(in);
      return props.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
