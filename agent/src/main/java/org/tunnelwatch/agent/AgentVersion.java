package org.tunnelwatch.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;

/**
 * What the build stamped into {@code version.properties}: the version, the git revision and
 * branch, who built it and when; each "unknown" where the build could not tell (a build outside
 * a git checkout has no revision). Shown by {@code --version} and {@code tunnelwatch_build_info}.
 *
 * @param javaVersion the running JVM's version, as the exporters give their Go version
 */
public record AgentVersion(
    String version, String revision, String branch, String buildUser, String buildDate, String javaVersion) {

  private static final String UNKNOWN = "unknown";

  /** This build's. */
  public static AgentVersion get() {
    Properties props = new Properties();
    try (InputStream in = AgentVersion.class.getResourceAsStream("/org/tunnelwatch/version.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      // left empty: every field says unknown
    }
    return of(props, System.getProperty("java.version", UNKNOWN));
  }

  static AgentVersion of(Properties props, String javaVersion) {
    return new AgentVersion(
        stamped(props, "version"),
        stamped(props, "revision"),
        stamped(props, "branch"),
        stamped(props, "build.user"),
        stamped(props, "build.date"),
        javaVersion);
  }

  /**
   * A stamped value, or unknown when the build left it empty (git failed) or unfiltered (a
   * {@code ${...}} left as it was).
   */
  private static String stamped(Properties props, String key) {
    String value = props.getProperty(key, "").strip();
    return value.isEmpty() || value.contains("${") ? UNKNOWN : value;
  }

  /** The exporters' {@code --version} text (Prometheus common/version's layout). */
  public String[] lines() {
    return new String[] {
      "tunnelwatch, version " + version + " (branch: " + branch + ", revision: " + revision + ")",
      "  build user:       " + buildUser,
      "  build date:       " + buildDate,
      "  java version:     " + javaVersion,
      "  platform:         " + System.getProperty("os.name", UNKNOWN).toLowerCase(Locale.ROOT) + "/" + System.getProperty("os.arch", UNKNOWN)
    };
  }
}
