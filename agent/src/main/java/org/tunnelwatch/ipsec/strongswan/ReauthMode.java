package org.tunnelwatch.ipsec.strongswan;

import java.util.Optional;
import org.tunnelwatch.config.BackendConfig;
import org.tunnelwatch.config.BackendType;

/**
 * How the daemon reauthenticates an IKE SA ({@code reauth-ike}): make-before-break keeps the old
 * IKE SA and its CHILD SAs until the new ones are up; without it charon deletes the old IKE SA
 * first and every CHILD SA under it stops carrying traffic until the new ones are up.
 *
 * @param makeBeforeBreak what is known of it
 * @param source why: the setting with its file and line, the configuration key, strongSwan's
 *     default, or why strongswan.conf could not be read
 */
public record ReauthMode(State makeBeforeBreak, String source) {

  public enum State {
    /** Make-before-break: reauthentication keeps traffic flowing. */
    ON,
    /** Break-before-make: reauthentication interrupts every CHILD SA of the IKE SA. */
    OFF,
    /** strongswan.conf could not be read or holds no valid value: plan as for {@link #OFF}. */
    UNKNOWN,
    /** Not a strongSwan backend: Libreswan has no such reauthentication. */
    NOT_APPLICABLE
  }

  static final String CONFIGURED = "backend.make-before-break in the configuration";

  /**
   * The mode for a backend configuration: Libreswan has none; {@code make-before-break: yes} or
   * {@code no} is taken as said; {@code auto} reads {@code strongswan-conf} (now, each call).
   */
  public static ReauthMode forBackend(BackendConfig backend) {
    if (backend.type() == BackendType.LIBRESWAN) {
      return new ReauthMode(
          State.NOT_APPLICABLE, "the libreswan backend: Libreswan has no make-before-break reauthentication");
    }
    return switch (backend.makeBeforeBreak()) {
      case YES -> new ReauthMode(State.ON, CONFIGURED);
      case NO -> new ReauthMode(State.OFF, CONFIGURED);
      case AUTO -> MakeBeforeBreak.detect(backend.strongswanConf());
    };
  }

  /** Whether reauthentication is known to keep traffic flowing. */
  public boolean isMakeBeforeBreak() {
    return makeBeforeBreak == State.ON;
  }

  /** One line for an operator: {@code make-before-break: yes (SOURCE)}. */
  public String describe() {
    String word =
        switch (makeBeforeBreak) {
          case ON -> "yes";
          case OFF -> "no";
          case UNKNOWN -> "unknown";
          case NOT_APPLICABLE -> "not applicable";
        };
    return "make-before-break: " + word + " (" + source + ")";
  }

  /** What an operator should be told when reauthentication interrupts traffic, or may. */
  public Optional<String> warning() {
    return switch (makeBeforeBreak) {
      case OFF ->
          Optional.of(
              "warning: charon does not do make-before-break reauthentication ("
                  + source
                  + "): reauth-ike interrupts every CHILD SA of its IKE SA; the agent plans its repairs without it");
      case UNKNOWN ->
          Optional.of(
              "warning: cannot tell whether charon does make-before-break reauthentication ("
                  + source
                  + "): reauth-ike may interrupt every CHILD SA of its IKE SA; the agent plans its repairs without it");
      default -> Optional.empty();
    };
  }
}
