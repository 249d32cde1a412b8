package org.tunnelwatch.config;

/** An uplink: the interface through which the tunnels' IKE and ESP traffic leaves. */
public record UplinkConfig(String name, String interfaceName) {}
