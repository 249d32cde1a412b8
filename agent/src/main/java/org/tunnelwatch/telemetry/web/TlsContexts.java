package org.tunnelwatch.telemetry.web;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.tunnelwatch.config.TlsMaterial;
import org.tunnelwatch.config.WebConfig;

/** Builds the HTTPS setup of the endpoints from a checked {@code tls_server_config}. */
final class TlsContexts {

  private static final char[] NO_PASSWORD = new char[0];

  private TlsContexts() {}

  /** A context serving {@code tls}'s certificate chain and trusting its client CAs. */
  static SSLContext context(WebConfig.Tls tls) throws GeneralSecurityException {
    TlsMaterial material = tls.material();
    KeyStore keys = emptyStore();
    keys.setKeyEntry("server", material.key(), NO_PASSWORD, material.chain().toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, NO_PASSWORD);

    TrustManagerFactory tmf = null;
    if (!material.clientCas().isEmpty()) {
      KeyStore cas = emptyStore();
      int i = 0;
      for (X509Certificate ca : material.clientCas()) {
        cas.setCertificateEntry("ca" + i++, ca);
      }
      tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(cas);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
    return context;
  }

  /** What each handshake of {@code context} gets: the protocols and client-certificate policy of {@code tls}. */
  static SSLParameters parameters(SSLContext context, WebConfig.Tls tls) {
    SSLParameters ssl = context.getDefaultSSLParameters();
    ssl.setProtocols(tls.minVersion().equals("TLSv1.3") ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.3", "TLSv1.2"});
    switch (tls.clientAuth()) {
      case REQUEST_CLIENT_CERT -> ssl.setWantClientAuth(true);
      case REQUIRE_AND_VERIFY_CLIENT_CERT -> ssl.setNeedClientAuth(true);
      case NO_CLIENT_CERT -> { }
    }
    return ssl;
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("an empty key store cannot fail to load", e);
    }
    return store;
  }
}
