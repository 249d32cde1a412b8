package org.tunnelwatch.ipsec.ike;

/** The numbers of RFC 7296 (section 3) that the probe's messages use. */
final class IkeWire {

  static final int HEADER_LENGTH = 28;
  static final int PAYLOAD_HEADER_LENGTH = 4;

  /** Major version 2, minor 0, in the header's version byte. */
  static final int VERSION_2_0 = 0x20;

  static final int EXCHANGE_IKE_SA_INIT = 34;

  static final int FLAG_INITIATOR = 0x08;
  static final int FLAG_RESPONSE = 0x20;

  static final int PAYLOAD_NONE = 0;
  static final int PAYLOAD_SA = 33;
  static final int PAYLOAD_KE = 34;
  static final int PAYLOAD_NONCE = 40;
  static final int PAYLOAD_NOTIFY = 41;

  static final int PROTOCOL_IKE = 1;

  static final int TRANSFORM_ENCR = 1;
  static final int TRANSFORM_PRF = 2;
  static final int TRANSFORM_INTEG = 3;
  static final int TRANSFORM_DH = 4;

  /** Notify types below this are errors (RFC 7296 3.10.1). */
  static final int FIRST_STATUS_NOTIFY = 16384;

  private IkeWire() {}
}
