package org.tunnelwatch.telemetry.web;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.tunnelwatch.config.WebConfig;

/**
 * The TLS of a running HTTPS server, replaceable without closing the port. The JDK fixes a
 * server's {@link SSLContext} before it starts, so the server is given one that hands every new
 * connection to the settings current at its handshake; connections already open keep theirs.
 * Thread-safe.
 */
public final class ReloadableTls {

  private record Current(WebConfig.Tls tls, SSLContext context) {}

  private volatile Current current;

  public ReloadableTls(WebConfig.Tls tls) throws GeneralSecurityException {
    set(tls);
  }

  /**
   * New connections get {@code tls}; fails, changing nothing, if no context can be made of it.
   * Settings and material equal to the current ones keep the current context and its sessions.
   */
  public synchronized void set(WebConfig.Tls tls) throws GeneralSecurityException {
    Current now = current;
    if (now == null || !now.tls().equals(tls)) {
      current = new Current(tls, TlsContexts.context(tls));
    }
  }

  /** For {@code HttpsServer.setHttpsConfigurator}: always the current settings. */
  public HttpsConfigurator configurator() {
    SSLContext following = new SSLContext(new FollowingSpi(), current.context().getProvider(), "TLS") {};
    return new HttpsConfigurator(following) {
      @Override
      public void configure(HttpsParameters params) {
        Current now = current;
        params.setSSLParameters(TlsContexts.parameters(now.context(), now.tls()));
      }
    };
  }

  /** Every call goes to the current context. */
  private final class FollowingSpi extends SSLContextSpi {
    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
      throw new KeyManagementException("set through ReloadableTls.set");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return current.context().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return current.context().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return current.context().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return current.context().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return current.context().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return current.context().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return current.context().getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return current.context().getSupportedSSLParameters();
    }
  }
}
