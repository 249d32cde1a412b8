package org.tunnelwatch.config;

import java.time.Duration;
import java.util.List;
import org.tunnelwatch.remedy.RemedyAction;

/** The settings a tunnel gets when neither it nor {@code defaults} says otherwise. */
final class BuiltinDefaults {

  static final String LISTEN = "0.0.0.0:9814";
  static final String STATE_DIR = "/var/lib/tunnelwatch";
  static final String SWANCTL = "/usr/sbin/swanctl";
  static final String URI = "unix:///var/run/charon.vici";
  static final String RESTART_SERVICE = "systemctl restart strongswan";
  static final String LIBRESWAN_RESTART_SERVICE = "systemctl restart ipsec";
  static final String IPSEC = "/usr/sbin/ipsec";
  static final String LIBRESWAN_VERSION = "auto";
  static final String IPSEC_CONF = "/etc/ipsec.conf";
  static final String STRONGSWAN_CONF = "/etc/strongswan.conf";
  static final String MAKE_BEFORE_BREAK = BackendConfig.AUTO;
  static final Duration BACKEND_TIMEOUT = Duration.ofSeconds(30);
  static final Duration RESEND_INTERVAL = Duration.ofMinutes(1);
  static final Duration ALERT_TIMEOUT = Duration.ofSeconds(10);

  static final TunnelSettings SETTINGS =
      new TunnelSettings(
          Duration.ofSeconds(2),
          3,
          Duration.ofSeconds(1),
          0.1,
          Duration.ZERO,
          3,
          2,
          Duration.ofMinutes(1),
          List.of(RemedyAction.REINITIATE, RemedyAction.REAUTH_IKE, RemedyAction.RESTART_IKE, RemedyAction.RESTART_SERVICE),
          Duration.ofSeconds(15),
          6);

  private BuiltinDefaults() {}
}
