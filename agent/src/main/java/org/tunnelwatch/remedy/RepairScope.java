package org.tunnelwatch.remedy;

/**
 * What a repair acts on. A CHILD SA belongs to one tunnel; an IKE SA carries every tunnel whose
 * {@code ike} names it; the daemon carries every tunnel on the gateway. Repairs of a shared
 * object are decided once for everything that shares it (see {@link SharedView}).
 */
public enum RepairScope {
  CHILD,
  IKE,
  GATEWAY
}
