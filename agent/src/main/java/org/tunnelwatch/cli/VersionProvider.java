package org.tunnelwatch.cli;

import org.tunnelwatch.agent.AgentVersion;
import picocli.CommandLine;

/** {@code tunnelwatch --version}. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"tunnelwatch " + AgentVersion.get(), "Java " + Runtime.version()};
  }
}
