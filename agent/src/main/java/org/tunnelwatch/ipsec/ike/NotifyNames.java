package org.tunnelwatch.ipsec.ike;

import java.util.Map;

/** Names of the Notify types (RFC 7296 3.10.1 and IANA) an IKE_SA_INIT answer may carry. */
final class NotifyNames {

  static final int NO_PROPOSAL_CHOSEN = 14;
  static final int INVALID_KE_PAYLOAD = 17;
  static final int COOKIE = 16390;

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(1, "UNSUPPORTED_CRITICAL_PAYLOAD"),
          Map.entry(4, "INVALID_IKE_SPI"),
          Map.entry(5, "INVALID_MAJOR_VERSION"),
          Map.entry(7, "INVALID_SYNTAX"),
          Map.entry(9, "INVALID_MESSAGE_ID"),
          Map.entry(11, "INVALID_SPI"),
          Map.entry(NO_PROPOSAL_CHOSEN, "NO_PROPOSAL_CHOSEN"),
          Map.entry(INVALID_KE_PAYLOAD, "INVALID_KE_PAYLOAD"),
          Map.entry(24, "AUTHENTICATION_FAILED"),
          Map.entry(43, "TEMPORARY_FAILURE"),
          Map.entry(16388, "NAT_DETECTION_SOURCE_IP"),
          Map.entry(16389, "NAT_DETECTION_DESTINATION_IP"),
          Map.entry(COOKIE, "COOKIE"),
          Map.entry(16406, "REDIRECT_SUPPORTED"),
          Map.entry(16407, "REDIRECT"),
          Map.entry(16430, "IKEV2_FRAGMENTATION_SUPPORTED"),
          Map.entry(16431, "SIGNATURE_HASH_ALGORITHMS"));

  private NotifyNames() {}

  static String name(int type) {
    return NAMES.getOrDefault(type, "NOTIFY(" + type + ")");
  }
}
