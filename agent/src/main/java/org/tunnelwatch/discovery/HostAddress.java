package org.tunnelwatch.discovery;

import java.net.InetAddress;

/**
 * An address held by an interface of this host.
 *
 * @param interfaceName such as {@code eth1}
 * @param address the address
 * @param prefixLength the length of its network prefix
 */
public record HostAddress(String interfaceName, InetAddress address, int prefixLength) {}
