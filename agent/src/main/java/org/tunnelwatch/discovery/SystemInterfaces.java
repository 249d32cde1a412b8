package org.tunnelwatch.discovery;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * This host's interfaces, from the JDK, and its default route, from {@code /proc/net/route}.
 * Read afresh on every call; thread-safe.
 */
public final class SystemInterfaces implements HostInterfaces {

  private final Path procNetRoute;

  public SystemInterfaces() {
    this(Path.of("/proc/net/route"));
  }

  SystemInterfaces(Path procNetRoute) {
    this.procNetRoute = procNetRoute;
  }

  @Override
  public List<HostAddress> addresses() {
    List<HostAddress> addresses = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp()) {
          continue;
        }
        for (InterfaceAddress a : nic.getInterfaceAddresses()) {
          addresses.add(new HostAddress(nic.getName(), a.getAddress(), a.getNetworkPrefixLength()));
        }
      }
    } catch (SocketException e) {
      return List.of();
    }
    return addresses;
  }

  @Override
  public Optional<InetAddress> defaultRouteAddress() {
    return defaultRouteInterface()
        .flatMap(
            name ->
                addresses().stream()
                    .filter(a -> a.interfaceName().equals(name) && a.address() instanceof Inet4Address)
                    .map(HostAddress::address)
                    .findFirst());
  }

  /** The interface of the first IPv4 route to 0.0.0.0/0 in the routing table. */
  Optional<String> defaultRouteInterface() {
    List<String> lines;
    try {
      lines = Files.readAllLines(procNetRoute);
    } catch (IOException e) {
      return Optional.empty();
    }
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.trim().split("\\s+");
      // Iface Destination Gateway Flags RefCnt Use Metric Mask ...
      if (f.length >= 8 && f[1].equals("00000000") && f[7].equals("00000000")) {
        return Optional.of(f[0]);
      }
    }
    return Optional.empty();
  }
}
