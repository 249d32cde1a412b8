package org.tunnelwatch.probe;

import org.tunnelwatch.config.ConfigWord;

/** How a target is probed; written as the scheme of a target ({@code tcp://192.168.5.1:443}). */
public enum ProbeKind implements ConfigWord {
  /** ICMP echo: the default, and a target written as a bare address. */
  ICMP,
  /** A TCP connect: the handshake, or a refusal, is the answer. */
  TCP,
  /** A UDP datagram to an echo-style port: a reply, or a port-unreachable error, is the answer. */
  UDP
}
