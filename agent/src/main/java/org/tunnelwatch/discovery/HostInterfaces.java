package org.tunnelwatch.discovery;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The addresses of this host, as discovery needs them: to tell which side of a conn is this
 * host, and to find the LAN address the probes leave from. An interface so that tests can
 * describe the gateway they pretend to be.
 */
public interface HostInterfaces {

  /** Every address of every interface that is up, in interface order. */
  List<HostAddress> addresses();

  /**
   * The IPv4 address of the interface that holds the default route, which is what {@code
   * %defaultroute} means; empty when there is no default route.
   */
  Optional<InetAddress> defaultRouteAddress();

  /** The interface holding {@code address}, if this host has it. */
  default Optional<HostAddress> holding(InetAddress address) {
    return addresses().stream().filter(a -> a.address().equals(address)).findFirst();
  }
}
