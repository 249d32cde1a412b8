package org.tunnelwatch.ipsec.ike;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * An IKEv2 IKE_SA_INIT request that any IKE daemon reads as well formed and refuses at once.
 *
 * <p>Why refused: a responder that accepts a proposal creates a half-open IKE SA and waits for
 * IKE_AUTH, i.e. keeps state for a probe that never continues. One that finds no acceptable
 * proposal answers NO_PROPOSAL_CHOSEN and forgets the exchange (strongSwan 5.9's ike_init
 * build_r: "received proposals unacceptable", the IKE SA is destroyed).
 *
 * <p>Why these transforms: ENCR, PRF and INTEG are taken from the private-use range (RFC 7296
 * 3.3.2: 1024-65535), far above every private ID strongSwan gives a meaning to (about 1024-1040),
 * so no {@code proposals} keyword can name them and no configuration can accept them. strongSwan
 * 5.9 parses unknown transform IDs without complaint (the transform substructure's verify does not
 * look at them); proposal selection simply matches nothing, and without the strongSwan vendor ID
 * it even skips private IDs outright ({@code PROPOSAL_SKIP_PRIVATE}). A known weak suite such as
 * DES/MD5 was not chosen: an administrator can still configure it, and then the probe would
 * leave a half-open SA. The DH group is MODP_768 (group 1), which strongSwan's default proposal
 * and sane configurations omit, so that the KE payload carries a known group with its proper
 * length (96 bytes), as RFC 7296 3.4 asks; the unknown ENCR/PRF/INTEG already rule the proposal
 * out whatever the peer thinks of group 1, and a responder only looks at the KE data after it
 * chose a proposal.
 */
public final class IkeSaInitRequest {

  /** Private-use transform ID of no known meaning, for ENCR, PRF and INTEG. */
  static final int UNASSIGNED_TRANSFORM_ID = 65001;

  static final int DH_GROUP_MODP_768 = 1;
  static final int MODP_768_KE_LENGTH = 96;
  static final int NONCE_LENGTH = 32;

  private final long initiatorSpi;
  private final byte[] bytes;

  private IkeSaInitRequest(long initiatorSpi, byte[] bytes) {
    this.initiatorSpi = initiatorSpi;
    this.bytes = bytes;
  }

  /** The random SPI that identifies the answer. */
  public long initiatorSpi() {
    return initiatorSpi;
  }

  /** The whole message, without the non-ESP marker; a copy. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** A request with a fresh random SPI (never 0, which RFC 7296 forbids) and a fresh nonce. */
  public static IkeSaInitRequest create(RandomGenerator random) {
    long spi;
    do {
      spi = random.nextLong();
    } while (spi == 0);
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    byte[] ke = new byte[MODP_768_KE_LENGTH];
    random.nextBytes(ke);
    // The modulus starts with 64 one bits; a clear top bit keeps the value below it.
    ke[0] &= 0x7f;
    return of(spi, nonce, ke);
  }

  /** The request with the given SPI, nonce and KE data (which must fit MODP_768). */
  static IkeSaInitRequest of(long initiatorSpi, byte[] nonce, byte[] keyExchange) {
    if (keyExchange.length != MODP_768_KE_LENGTH) {
      throw new IllegalArgumentException("MODP_768 KE data is 96 bytes, not " + keyExchange.length);
    }
    byte[] message =
        IkeEncoder.message(
            initiatorSpi,
            0, // the responder picks its SPI
            IkeWire.EXCHANGE_IKE_SA_INIT,
            IkeWire.FLAG_INITIATOR,
            0, // the first exchange has message ID 0
            List.of(
                new IkeEncoder.Payload(IkeWire.PAYLOAD_SA, proposal()),
                new IkeEncoder.Payload(IkeWire.PAYLOAD_KE, keyExchange(keyExchange)),
                new IkeEncoder.Payload(IkeWire.PAYLOAD_NONCE, nonce.clone())));
    return new IkeSaInitRequest(initiatorSpi, message);
  }

  /** One IKE proposal (number 1, no SPI in IKE_SA_INIT) with the four refused transforms. */
  private static byte[] proposal() {
    int[][] transforms = {
      {IkeWire.TRANSFORM_ENCR, UNASSIGNED_TRANSFORM_ID},
      {IkeWire.TRANSFORM_PRF, UNASSIGNED_TRANSFORM_ID},
      {IkeWire.TRANSFORM_INTEG, UNASSIGNED_TRANSFORM_ID},
      {IkeWire.TRANSFORM_DH, DH_GROUP_MODP_768},
    };
    int length = 8 + 8 * transforms.length;
    ByteBuffer proposal = ByteBuffer.allocate(length);
    proposal.put((byte) 0); // last proposal
    proposal.put((byte) 0);
    proposal.putShort((short) length);
    proposal.put((byte) 1); // proposal number
    proposal.put((byte) IkeWire.PROTOCOL_IKE);
    proposal.put((byte) 0); // SPI size
    proposal.put((byte) transforms.length);
    for (int i = 0; i < transforms.length; i++) {
      proposal.put((byte) (i + 1 < transforms.length ? 3 : 0)); // 3: more transforms follow
      proposal.put((byte) 0);
      proposal.putShort((short) 8); // no attributes: none of these takes a key length
      proposal.put((byte) transforms[i][0]);
      proposal.put((byte) 0);
      proposal.putShort((short) transforms[i][1]);
    }
    return proposal.array();
  }

  private static byte[] keyExchange(byte[] data) {
    ByteBuffer body = ByteBuffer.allocate(4 + data.length);
    body.putShort((short) DH_GROUP_MODP_768);
    body.putShort((short) 0); // reserved
    body.put(data);
    return body.array();
  }
}
