package org.tunnelwatch.ipsec;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the daemon says about one tunnel's SAs: the best IKE SA of its connection and the best
 * CHILD SA of its name under any IKE SA of that connection.
 *
 * @param ike the IKE SA, if one exists
 * @param child the CHILD SA, if one exists
 * @param ikeConnecting an IKE SA of the connection is being set up (its IKE_SA_INIT or IKE_AUTH
 *     is unanswered so far), beside the one above or instead of it
 */
public record SaStatus(Optional<IkeSa> ike, Optional<ChildSa> child, boolean ikeConnecting) {

  /** A status with no IKE SA being set up. */
  public SaStatus(Optional<IkeSa> ike, Optional<ChildSa> child) {
    this(ike, child, false);
  }

  public static SaStatus of(List<IkeSa> sas, String ikeName, String childName) {
    List<IkeSa> ours = sas.stream().filter(sa -> sa.name().equals(ikeName)).toList();
    Optional<IkeSa> ike =
        ours.stream()
            .max(Comparator.comparing(IkeSa::established).thenComparingLong(IkeSa::uniqueId));
    Optional<ChildSa> child =
        ours.stream()
            .flatMap(sa -> sa.child(childName).stream())
            .max(Comparator.comparing(ChildSa::installed).thenComparingLong(ChildSa::uniqueId));
    boolean connecting = ours.stream().anyMatch(IkeSa::connecting);
    return new SaStatus(ike, child, connecting);
  }

  public boolean childInstalled() {
    return child.map(ChildSa::installed).orElse(false);
  }

  /** A few words for logs and the status API: "IKE ESTABLISHED, CHILD INSTALLED". */
  public String describe() {
    return "IKE " + ike.map(IkeSa::state).orElse("none") + ", CHILD " + child.map(ChildSa::state).orElse("none");
  }
}
