package org.tunnelwatch.ipsec.ike;

import java.nio.ByteBuffer;
import java.util.List;

/** Answers a responder would send, built with the codec's own encoder. */
final class IkeTestMessages {

  static final long RESPONDER_SPI = 0x1122334455667788L;

  private IkeTestMessages() {}

  /** What strongSwan sends back for an unacceptable proposal. */
  static byte[] noProposalChosen(long initiatorSpi) {
    return notifyResponse(initiatorSpi, NotifyNames.NO_PROPOSAL_CHOSEN);
  }

  static byte[] notifyResponse(long initiatorSpi, int notifyType) {
    return IkeEncoder.message(
        initiatorSpi, RESPONDER_SPI, IkeWire.EXCHANGE_IKE_SA_INIT, IkeWire.FLAG_RESPONSE, 0,
        List.of(new IkeEncoder.Payload(IkeWire.PAYLOAD_NOTIFY, IkeEncoder.notifyBody(notifyType, new byte[0]))));
  }

  /** The initiator SPI of a request, as a responder reads it. */
  static long initiatorSpiOf(byte[] request) {
    return ByteBuffer.wrap(request).getLong(0);
  }
}
