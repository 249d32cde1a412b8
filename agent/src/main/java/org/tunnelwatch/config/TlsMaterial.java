package org.tunnelwatch.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The server's certificate chain and private key as read and checked at load, and the client CAs
 * if any. Checked means: both files parse, and the key signs what the leaf certificate's public
 * key verifies (a pair that does not belong together would fail every handshake).
 *
 * <p>Immutable. Two instances are equal when their certificates and key are, so a reload notices
 * a certificate replaced at the same path. {@link #toString()} names the files and the leaf's
 * subject and serial, never key material.
 */
public final class TlsMaterial {

  private static final byte[] CHALLENGE = "tunnelwatch: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);

  private final Path certFile;
  private final List<X509Certificate> chain;
  private final PrivateKey key;
  private final List<X509Certificate> clientCas;

  private TlsMaterial(Path certFile, List<X509Certificate> chain, PrivateKey key, List<X509Certificate> clientCas) {
    this.certFile = certFile;
    this.chain = List.copyOf(chain);
    this.key = key;
    this.clientCas = List.copyOf(clientCas);
  }

  /**
   * The chain and key, once the key is shown to belong to the chain's first certificate.
   *
   * @throws GeneralSecurityException naming {@code keyFile} and {@code certFile} when it does not
   */
  static TlsMaterial of(Path certFile, List<X509Certificate> chain, Path keyFile, PrivateKey key, List<X509Certificate> clientCas)
      throws GeneralSecurityException {
    if (!belongTogether(key, chain.get(0).getPublicKey())) {
      throw new GeneralSecurityException(
          "the key in " + keyFile + " does not belong to the certificate in " + certFile
              + " (every TLS handshake would fail; were they made together?)");
    }
    return new TlsMaterial(certFile, chain, key, clientCas);
  }

  private static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm(); // Ed25519 signs by its own name
        };
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(CHALLENGE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(CHALLENGE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // e.g. an RSA key beside an EC certificate
    }
  }

  public List<X509Certificate> chain() {
    return chain;
  }

  public PrivateKey key() {
    return key;
  }

  /** The CAs that sign accepted client certificates; empty without {@code client_ca_file}. */
  public List<X509Certificate> clientCas() {
    return clientCas;
  }

  /**
   * What an operator should hear about though the material works: a certificate that expired or
   * is not valid yet at {@code now} (clients will refuse it). One line each, naming the file.
   */
  public List<String> warnings(Instant now) {
    List<String> warnings = new ArrayList<>();
    X509Certificate leaf = chain.get(0);
    if (now.isAfter(leaf.getNotAfter().toInstant())) {
      warnings.add(certFile + ": the certificate expired on " + leaf.getNotAfter().toInstant() + "; clients will refuse it");
    }
    if (now.isBefore(leaf.getNotBefore().toInstant())) {
      warnings.add(certFile + ": the certificate is not valid before " + leaf.getNotBefore().toInstant() + "; clients will refuse it until then");
    }
    return warnings;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsMaterial other
        && chain.equals(other.chain)
        && Arrays.equals(key.getEncoded(), other.key.getEncoded())
        && clientCas.equals(other.clientCas);
  }

  @Override
  public int hashCode() {
    return chain.hashCode();
  }

  @Override
  public String toString() {
    X509Certificate leaf = chain.get(0);
    return certFile + " (" + leaf.getSubjectX500Principal().getName() + ", serial " + leaf.getSerialNumber().toString(16) + ")";
  }
}
