package org.tunnelwatch.remedy;

import java.util.Arrays;
import java.util.Optional;

/**
 * The rungs of the repair ladder, cheapest first. Each one disturbs more than the one before:
 * re-initiating a CHILD SA touches one tunnel, restarting the IKE SA touches every CHILD SA under
 * it, and restarting the service touches every tunnel on the gateway.
 */
public enum RemedyAction {
  REINITIATE("reinitiate"),
  RESTART_IKE("restart-ike"),
  RESTART_SERVICE("restart-service");

  private final String configName;

  RemedyAction(String configName) {
    this.configName = configName;
  }

  /** The name used in the configuration, in logs and in the {@code action} metric label. */
  public String configName() {
    return configName;
  }

  /** Whether this action affects every tunnel on the gateway, not just the broken one. */
  public boolean isGatewayWide() {
    return this == RESTART_SERVICE;
  }

  public static Optional<RemedyAction> fromConfigName(String name) {
    return Arrays.stream(values()).filter(a -> a.configName.equals(name)).findFirst();
  }

  @Override
  public String toString() {
    return configName;
  }
}
