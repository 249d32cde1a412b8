package org.tunnelwatch.ipsec.strongswan;

/**
 * strongswan.conf could not be read or makes no sense. The message is one line that names the
 * file and line ({@code /etc/strongswan.d/x.conf:12: ...}) and the problem, fit to show an
 * operator as it is.
 */
public final class StrongswanSettingsException extends Exception {

  public StrongswanSettingsException(String message) {
    super(message);
  }
}
