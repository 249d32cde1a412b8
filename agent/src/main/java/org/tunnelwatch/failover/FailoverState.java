package org.tunnelwatch.failover;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What one failover group remembers: the member that carries the traffic, since when, and each
 * member's history. Immutable.
 *
 * @param active the member that carries the group's traffic; always one of the members
 * @param activeSinceNanos when it became the active one (monotonic)
 * @param lastSwitchNanos when the last switch was decided, if any
 * @param members each member's history, in priority order
 */
public record FailoverState(String active, long activeSinceNanos, OptionalLong lastSwitchNanos, Map<String, MemberHistory> members) {

  public FailoverState {
    members = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members));
    if (!members.containsKey(active)) {
      throw new IllegalArgumentException(active + " is not a member");
    }
  }

  /** A group whose traffic goes through {@code active}, with nothing known of its members yet. */
  public static FailoverState start(Iterable<String> members, String active, long nowNanos) {
    Map<String, MemberHistory> histories = new LinkedHashMap<>();
    members.forEach(m -> histories.put(m, MemberHistory.NEW));
    return new FailoverState(active, nowNanos, OptionalLong.empty(), histories);
  }

  MemberHistory history(String member) {
    return members.get(member);
  }

  FailoverState with(String member, MemberHistory history) {
    Map<String, MemberHistory> next = new LinkedHashMap<>(members);
    next.put(member, history);
    return new FailoverState(active, activeSinceNanos, lastSwitchNanos, next);
  }

  FailoverState switchedTo(String member, long nowNanos) {
    return new FailoverState(member, nowNanos, OptionalLong.of(nowNanos), members);
  }

  /** Whether the member is held down now (failed too often lately). */
  public boolean held(String member, long nowNanos) {
    return members.get(member).held(nowNanos);
  }
}
