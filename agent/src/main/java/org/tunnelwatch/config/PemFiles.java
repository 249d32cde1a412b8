package org.tunnelwatch.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tunnelwatch.input.BoundedFiles;
import org.tunnelwatch.input.InputLimits;
import org.tunnelwatch.input.RefusedInputException;

/**
 * PEM certificates and keys as openssl writes them. The JDK reads X.509 PEM itself but not PEM
 * keys; PKCS#8 ("PRIVATE KEY") is decoded here for RSA, EC and Ed25519, and PKCS#1 ("RSA PRIVATE
 * KEY") and SEC1 ("EC PRIVATE KEY", what {@code openssl ecparam -genkey} writes and node_exporter
 * serves with) are wrapped into PKCS#8 first. Every failure is a {@link GeneralSecurityException} whose
 * one-line message starts with the file and says what is wrong with it.
 */
final class PemFiles {


  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
  private static final String[] ALGORITHMS = {"RSA", "EC", "Ed25519"};
  /** PKCS#8 header for an RSA key: version 0, rsaEncryption with NULL parameters. */
  private static final byte[] RSA_PKCS8_ALGORITHM = {
    0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
  };

  /** The OID 1.2.840.10045.2.1, id-ecPublicKey, with its tag and length. */
  private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

  private PemFiles() {}

  static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    byte[] bytes = read(file);
    Set<String> blocks = blockNames(bytes);
    if (!blocks.contains("CERTIFICATE")) {
      throw new GeneralSecurityException(file + ": no PEM certificate in it" + found(blocks));
    }
    List<X509Certificate> certs = new ArrayList<>();
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certs.add((X509Certificate) cert);
      }
    } catch (CertificateException e) {
      throw new GeneralSecurityException(file + ": a certificate in it cannot be read (damaged or not X.509)");
    }
    if (certs.isEmpty()) {
      throw new GeneralSecurityException(file + ": no PEM certificate in it");
    }
    return List.copyOf(certs);
  }

  static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    byte[] bytes = read(file);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    if (text.contains("Proc-Type: 4,ENCRYPTED")) { // openssl's traditional encrypted PKCS#1 and SEC1
      throw new GeneralSecurityException(file + ": the key is encrypted; the agent needs it unencrypted");
    }
    Matcher m = BLOCK.matcher(text);
    Set<String> blocks = new LinkedHashSet<>();
    while (m.find()) {
      blocks.add(m.group(1));
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new GeneralSecurityException(file + ": the " + m.group(1) + " block is not valid base64");
      }
      switch (m.group(1)) {
        case "PRIVATE KEY":
          return pkcs8(file, der);
        case "RSA PRIVATE KEY":
          try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrapRsa(der)));
          } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(file + ": the RSA PRIVATE KEY cannot be read (damaged)");
          }
        case "EC PRIVATE KEY":
          return sec1(file, der);
        case "ENCRYPTED PRIVATE KEY":
          throw new GeneralSecurityException(file + ": the key is encrypted; the agent needs it unencrypted");
        default:
          // Certificates or parameters in the same file: look further.
      }
    }
    throw new GeneralSecurityException(file + ": no PEM private key in it" + found(blocks));
  }

  /** The file's bytes: a regular file (a FIFO would block, a device never end) of a bounded size. */
  /** The file's bytes; a FIFO, a device or a file of more than a mebibyte is refused by name. */
  private static byte[] read(Path file) throws IOException, GeneralSecurityException {
    try {
      return BoundedFiles.read(file, InputLimits.PEM_FILE_BYTES);
    } catch (RefusedInputException e) {
      throw new GeneralSecurityException(file + ": " + e.getMessage());
    }
  }

  private static Set<String> blockNames(byte[] bytes) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = BLOCK.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static String found(Set<String> blocks) {
    return blocks.isEmpty() ? " (not a PEM file)" : " (found " + String.join(", ", blocks) + ")";
  }

  private static PrivateKey pkcs8(Path file, byte[] der) throws GeneralSecurityException {
    for (String algorithm : ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // Not this algorithm; try the next.
      }
    }
    throw new GeneralSecurityException(file + ": the PRIVATE KEY cannot be read (damaged, or not RSA, EC or Ed25519)");
  }

  /**
   * A SEC1 ECPrivateKey inside a PKCS#8 PrivateKeyInfo, whose algorithm names the curve that the
   * SEC1 key carries in its {@code [0] parameters}: SEQUENCE { version 0, SEQUENCE { id-ecPublicKey,
   * curve }, OCTET STRING }.
   */
  private static PrivateKey sec1(Path file, byte[] der) throws GeneralSecurityException {
    byte[] curve;
    try {
      curve = Der.sec1Curve(der);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException(file + ": the EC PRIVATE KEY cannot be read (damaged)");
    }
    if (curve == null) {
      throw new GeneralSecurityException(file + ": the EC PRIVATE KEY does not name its curve (openssl writes it with -param_enc named_curve)");
    }
    byte[] algorithm = concat(EC_PUBLIC_KEY_OID, curve);
    byte[] body =
        concat(new byte[] {0x02, 0x01, 0x00, 0x30}, length(algorithm.length), algorithm, new byte[] {0x04}, length(der.length), der);
    try {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(concat(new byte[] {0x30}, length(body.length), body)));
    } catch (GeneralSecurityException e) {
      throw new GeneralSecurityException(file + ": the EC PRIVATE KEY cannot be read (damaged, or a curve Java does not know)");
    }
  }

  /** PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: SEQUENCE { version, algorithm, OCTET STRING }. */
  private static byte[] wrapRsa(byte[] pkcs1) {
    byte[] octet = concat(new byte[] {0x04}, length(pkcs1.length), pkcs1);
    byte[] body = concat(RSA_PKCS8_ALGORITHM, octet);
    return concat(new byte[] {0x30}, length(body.length), body);
  }

  private static byte[] length(int n) {
    if (n < 0x80) {
      return new byte[] {(byte) n};
    }
    if (n < 0x100) {
      return new byte[] {(byte) 0x81, (byte) n};
    }
    if (n < 0x10000) {
      return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    }
    return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
  }

  private static byte[] concat(byte[]... parts) {
    int size = 0;
    for (byte[] p : parts) {
      size += p.length;
    }
    byte[] out = new byte[size];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
