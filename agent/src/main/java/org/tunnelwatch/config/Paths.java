package org.tunnelwatch.config;

/** Builds the dotted paths used in messages: {@code tunnels[2].interval}. */
final class Paths {

  private Paths() {}

  static String child(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }
}
