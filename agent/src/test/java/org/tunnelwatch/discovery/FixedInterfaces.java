package org.tunnelwatch.discovery;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tunnelwatch.config.IpAddresses;

/** The interfaces of a gateway that a test pretends to be: pure data, no lookups. */
final class FixedInterfaces implements HostInterfaces {

  private final List<HostAddress> addresses = new ArrayList<>();
  private String defaultRouteInterface;

  static FixedInterfaces none() {
    return new FixedInterfaces();
  }

  /** Adds {@code cidr} (such as {@code 192.168.1.1/24}) on {@code name}. */
  FixedInterfaces with(String name, String cidr) {
    String[] parts = cidr.split("/");
    addresses.add(new HostAddress(name, IpAddresses.parseLiteral(parts[0]).orElseThrow(), Integer.parseInt(parts[1])));
    return this;
  }

  /** Makes {@code name} the interface of the default route. */
  FixedInterfaces defaultRoute(String name) {
    defaultRouteInterface = name;
    return this;
  }

  @Override
  public List<HostAddress> addresses() {
    return List.copyOf(addresses);
  }

  @Override
  public Optional<InetAddress> defaultRouteAddress() {
    return addresses.stream().filter(a -> a.interfaceName().equals(defaultRouteInterface)).map(HostAddress::address).findFirst();
  }
}
