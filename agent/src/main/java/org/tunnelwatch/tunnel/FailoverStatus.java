package org.tunnelwatch.tunnel;

import java.util.List;

/**
 * One failover group as the status API and {@code tunnelwatch status} show it.
 *
 * @param name the group's name
 * @param active the member that carries its traffic
 * @param members its members, the preferred one first
 * @param onBackup whether the active member is not the first
 */
public record FailoverStatus(String name, String active, List<String> members, boolean onBackup) {

  public FailoverStatus {
    members = members == null ? List.of() : List.copyOf(members);
  }
}
