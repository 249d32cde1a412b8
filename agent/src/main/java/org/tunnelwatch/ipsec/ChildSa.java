package org.tunnelwatch.ipsec;

import java.util.OptionalLong;

/**
 * A CHILD SA as the daemon reports it.
 *
 * @param name the CHILD_SA's configured name
 * @param uniqueId the daemon's id for this instance (several may share a name around a rekey)
 * @param state the daemon's state word, such as {@code INSTALLED} or {@code REKEYING}
 * @param bytesIn bytes received through it
 * @param bytesOut bytes sent through it
 * @param packetsIn packets received through it
 * @param packetsOut packets sent through it
 * @param inboundIdleSeconds seconds since the last inbound packet (charon's {@code use-in});
 *     empty when no packet has come in yet or the backend does not say
 */
public record ChildSa(
    String name,
    long uniqueId,
    String state,
    long bytesIn,
    long bytesOut,
    long packetsIn,
    long packetsOut,
    OptionalLong inboundIdleSeconds) {

  /** A CHILD SA without the idle time. */
  public ChildSa(
      String name, long uniqueId, String state, long bytesIn, long bytesOut, long packetsIn, long packetsOut) {
    this(name, uniqueId, state, bytesIn, bytesOut, packetsIn, packetsOut, OptionalLong.empty());
  }

  public boolean installed() {
    return state.equals("INSTALLED");
  }
}
