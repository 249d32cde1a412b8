package org.tunnelwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Real TLS material made at test time by openssl and keytool (packages openssl and the JDK), in
 * a directory of the test's, and TLS clients to look at what a server serves.
 */
public final class TestTls {

  private final Path dir;

  public TestTls(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** Runs openssl in the directory; skips (fails under CI) without it. */
  public String openssl(String... args) throws Exception {
    Prerequisites.require(Files.isExecutable(Path.of("/usr/bin/openssl")) ? List.of() : List.of("/usr/bin/openssl (Debian package openssl)"));
    List<String> argv = new ArrayList<>(List.of("openssl"));
    argv.addAll(List.of(args));
    return run(argv);
  }

  private String run(List<String> argv) throws Exception {
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", argv) + "\n" + out).isZero();
    return out;
  }

  /** A private key in the given PEM flavour: pkcs8-rsa, pkcs1-rsa, pkcs8-ec, sec1-ec, ed25519. */
  public Path key(String name, String flavour) throws Exception {
    switch (flavour) {
      case "pkcs8-rsa" -> openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name);
      case "pkcs1-rsa" -> openssl("genrsa", "-traditional", "-out", name, "2048");
      case "pkcs8-ec" -> openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name);
      case "sec1-ec" -> openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name);
      case "ed25519" -> openssl("genpkey", "-algorithm", "ED25519", "-out", name);
      default -> throw new IllegalArgumentException(flavour);
    }
    return dir.resolve(name);
  }

  /** A self-signed certificate for 127.0.0.1 over {@code key}, valid for two days. */
  public Path certificate(String name, String key) throws Exception {
    openssl("req", "-new", "-x509", "-key", key, "-out", name, "-days", "2", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1");
    return dir.resolve(name);
  }

  /**
   * A self-signed certificate and its PKCS#8 key whose validity starts at {@code start} (keytool's
   * form: {@code -3d}, {@code +1d}) and lasts {@code days}: expired or not yet valid material.
   */
  public void datedPair(String cert, String key, String start, int days) throws Exception {
    Path store = dir.resolve(cert + ".p12");
    run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-alias", "s",
        "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-startdate", start, "-validity", Integer.toString(days)));
    openssl("pkcs12", "-in", store.toString(), "-passin", "pass:changeit", "-nodes", "-nocerts", "-out", key + ".raw");
    openssl("pkey", "-in", key + ".raw", "-out", key);
    openssl("pkcs12", "-in", store.toString(), "-passin", "pass:changeit", "-nokeys", "-out", cert + ".raw");
    openssl("x509", "-in", cert + ".raw", "-out", cert);
  }

  public static X509Certificate read(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** A client context that trusts exactly the certificate in {@code pem}. */
  public static SSLContext trusting(Path pem) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", read(pem));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  /** The serial number of the certificate a TLS server on loopback {@code port} presents now. */
  public static BigInteger servedSerial(int port) throws IOException, Exception {
    SSLContext any = SSLContext.getInstance("TLS");
    any.init(null, new TrustManager[] {new AcceptAll()}, null);
    try (SSLSocket socket = (SSLSocket) any.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  /** Looks, trusts nothing to anyone: only for reading what a test's own server presents. */
  private static final class AcceptAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
