package org.tunnelwatch.probe;

/**
 * Sends ICMP echoes from a source address to a target. The contract, as in blackbox_exporter:
 * a prober returns within the request's {@link EchoRequest#budget()} plus a small margin, never
 * throws for an ordinary failure (no reply, unreachable, bad source address), does not measure
 * its own duration for the shared metrics, and does not sleep beyond the echoes' own timing.
 */
public interface EchoProber {

  EchoResult probe(EchoRequest request);

  /** A word for logs: which engine this is. */
  String name();
}
