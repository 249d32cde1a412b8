package org.tunnelwatch.ipsec;

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
 */
public record ChildSa(
    String name,
    long uniqueId,
    String state,
    long bytesIn,
    long bytesOut,
    long packetsIn,
    long packetsOut) {

  public boolean installed() {
    return state.equals("INSTALLED");
  }
}
