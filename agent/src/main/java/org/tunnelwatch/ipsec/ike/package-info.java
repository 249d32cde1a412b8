/**
 * An "IKE ping": one IKEv2 IKE_SA_INIT request that a live IKE daemon refuses at once, and the
 * reading of its answer. It tells a peer that lost our IKE SA (alive: it answers) from a path that
 * is cut (nothing answers). {@link org.tunnelwatch.ipsec.ike.IkeSaInitRequest} and
 * {@link org.tunnelwatch.ipsec.ike.IkeResponseParser} are the pure codec (RFC 7296);
 * {@link org.tunnelwatch.ipsec.ike.IkePeerProbe} puts it on the wire.
 */
package org.tunnelwatch.ipsec.ike;
