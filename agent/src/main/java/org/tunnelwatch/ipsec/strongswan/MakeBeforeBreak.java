package org.tunnelwatch.ipsec.strongswan;

import java.nio.file.Path;
import java.util.Optional;

/** Finds out from strongswan.conf whether charon reauthenticates make-before-break. */
public final class MakeBeforeBreak {

  /**
   * charon-systemd, the daemon that swanctl and VICI talk to, reads its own section first, then
   * {@code charon} (it registers that namespace), then {@code libstrongswan} (every daemon's last
   * fallback). The older charon under ipsec starter reads {@code charon} and {@code
   * libstrongswan} only, which differs only if the {@code charon-systemd} section sets the key.
   */
  static final String KEY = "charon-systemd.make_before_break";

  private MakeBeforeBreak() {}

  /** The setting charon-systemd takes from {@code settings}, through its fallbacks; empty if unset. */
  public static Optional<Setting> settingIn(StrongswanSettings settings) throws StrongswanSettingsException {
    return settings.withFallback("charon-systemd", "charon").withFallback("charon-systemd", "libstrongswan").get(KEY);
  }

  /**
   * What {@code strongswanConf} and its includes say. A missing file, a file that breaks a bound
   * or the syntax, and a value that is no boolean all give {@link ReauthMode.State#UNKNOWN}, never
   * the default: the agent cannot know what charon made of them.
   */
  public static ReauthMode detect(Path strongswanConf) {
    try {
      Optional<Setting> setting = settingIn(StrongswanSettings.load(strongswanConf));
      if (setting.isEmpty()) {
        // strongSwan 6.0 made yes the default; Debian 12 ships 5.9.8, whose default is no.
        // Assuming no where it is yes costs only a more careful repair.
        return new ReauthMode(
            ReauthMode.State.OFF,
            "not set in " + strongswanConf + " and its includes: strongSwan's default before 6.0, no");
      }
      return new ReauthMode(
          setting.get().asBoolean() ? ReauthMode.State.ON : ReauthMode.State.OFF, setting.get().describe());
    } catch (StrongswanSettingsException e) {
      return new ReauthMode(ReauthMode.State.UNKNOWN, "unreadable: " + e.getMessage());
    }
  }
}
