package org.tunnelwatch.cli;

import org.tunnelwatch.agent.AgentVersion;
import picocli.CommandLine;

/** {@code tunnelwatch --version}, in the exporters' layout. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return AgentVersion.get().lines();
  }
}
