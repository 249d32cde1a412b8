package org.tunnelwatch.probe;

/**
 * A network interface's state as the kernel reports it.
 *
 * @param name the interface name
 * @param present whether the interface exists
 * @param operState the RFC 2863 operational state from sysfs ({@code up}, {@code down}, {@code
 *     unknown}, ...)
 * @param adminUp the IFF_UP flag: configured up
 * @param running the IFF_RUNNING flag: the driver reports the link working
 */
public record LinkState(
    String name, boolean present, String operState, boolean adminUp, boolean running) {

  public static LinkState absent(String name) {
    return new LinkState(name, false, "absent", false, false);
  }

  /**
   * Whether traffic can leave through it. PPP, TUN and similar links report {@code unknown} as
   * their operational state even when they work, so for those the flags decide.
   */
  public boolean isUp() {
    if (!present) {
      return false;
    }
    return switch (operState) {
      case "up" -> true;
      case "unknown" -> adminUp && running;
      default -> false;
    };
  }

  /**
   * A short description for logs and the status API: "wan0 up", "wan0 down", "ppp0 absent", and
   * for links that report no operational state, what the flags say: "ppp0 unknown, running".
   */
  public String describe() {
    if (!present) {
      return name + " absent";
    }
    if (operState.equals("unknown")) {
      return name + " unknown, " + (isUp() ? "running" : "not running");
    }
    return name + " " + operState;
  }
}
