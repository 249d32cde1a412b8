package org.tunnelwatch.config;

import java.time.Duration;

/** The values of the keys outside tunnels that nobody wrote; a tunnel's are {@link TunnelSettings#DEFAULTS}. */
final class BuiltinDefaults {

  static final String LISTEN = "0.0.0.0:9814";
  static final String STATE_DIR = "/var/lib/tunnelwatch";
  static final String SWANCTL = "/usr/sbin/swanctl";
  static final String URI = "unix:///var/run/charon.vici";
  static final String RESTART_SERVICE = "systemctl restart strongswan";
  static final String LIBRESWAN_RESTART_SERVICE = "systemctl restart ipsec";
  static final String IPSEC = "/usr/sbin/ipsec";
  static final LibreswanVersion LIBRESWAN_VERSION = LibreswanVersion.AUTO;
  static final String IPSEC_CONF = "/etc/ipsec.conf";
  static final String STRONGSWAN_CONF = "/etc/strongswan.conf";
  static final MakeBeforeBreakSetting MAKE_BEFORE_BREAK = MakeBeforeBreakSetting.AUTO;
  static final Duration BACKEND_TIMEOUT = Duration.ofSeconds(30);
  static final Duration RESEND_INTERVAL = Duration.ofMinutes(1);
  static final Duration ALERT_TIMEOUT = Duration.ofSeconds(10);

  private BuiltinDefaults() {}
}
