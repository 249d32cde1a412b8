package org.tunnelwatch.discovery;

/** One {@code keyword=value} of an ipsec.conf section, with the line it was written on. */
record ConfSetting(String key, String value, Location location) {}
