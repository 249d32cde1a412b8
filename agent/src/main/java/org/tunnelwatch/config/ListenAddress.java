package org.tunnelwatch.config;

/** Host and port of the HTTP listener; an empty host means every address. */
public record ListenAddress(String host, int port) {

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
