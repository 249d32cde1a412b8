package org.tunnelwatch.telemetry.web;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.tunnelwatch.config.WebConfig;

/** Builds the HTTPS setup of the endpoints from {@code tls_server_config}. */
public final class TlsContexts {

  private static final char[] NO_PASSWORD = new char[0];

  private TlsContexts() {}

  /**
   * The configurator for an {@code HttpsServer}.
   *
   * @throws GeneralSecurityException with a one-line message naming the file at fault
   */
  public static HttpsConfigurator configurator(WebConfig.Tls tls) throws IOException, GeneralSecurityException {
    List<Certificate> chain = PemFiles.certificates(tls.certFile());
    PrivateKey key = PemFiles.privateKey(tls.keyFile());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("server", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, NO_PASSWORD);

    TrustManagerFactory tmf = null;
    if (tls.clientCaFile().isPresent()) {
      KeyStore cas = KeyStore.getInstance("PKCS12");
      cas.load(null, null);
      int i = 0;
      for (Certificate ca : PemFiles.certificates(tls.clientCaFile().get())) {
        cas.setCertificateEntry("ca" + i++, ca);
      }
      tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(cas);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
    String[] protocols = tls.minVersion().equals("TLSv1.3") ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.3", "TLSv1.2"};
    return new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters ssl = context.getDefaultSSLParameters();
        ssl.setProtocols(protocols);
        switch (tls.clientAuth()) {
          case REQUEST_CLIENT_CERT -> ssl.setWantClientAuth(true);
          case REQUIRE_AND_VERIFY_CLIENT_CERT -> ssl.setNeedClientAuth(true);
          case NO_CLIENT_CERT -> { }
        }
        params.setSSLParameters(ssl);
      }
    };
  }
}
