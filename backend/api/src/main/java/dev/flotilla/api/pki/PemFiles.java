package dev.flotilla.api.pki;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Reads and writes certificates and keys as PEM, the format kubeconfig files and kubectl use. */
public final class PemFiles {

    private PemFiles() {
    }

    /**
     * PEM of a certificate or private key. RSA keys are written as PKCS#1 ("RSA PRIVATE KEY"), which
     * every Kubernetes client reads; EC keys as SEC1 ("EC PRIVATE KEY") with the named curve and the
     * public point, as Go's MarshalECPrivateKey writes them (Bouncy Castle's own SEC1 output lacks the
     * curve, which Go rejects, and fabric8 reads EC keys only in this form); other keys as PKCS#8.
     */
    public static String toPem(Object certificateOrKey) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (certificateOrKey instanceof java.security.interfaces.ECPrivateKey key) {
                writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1(key)));
            } else if (certificateOrKey instanceof PrivateKey key && !key.getAlgorithm().equals("RSA")) {
                writer.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(certificateOrKey);
            }
        } catch (IOException e) {
            throw new PkiException("cannot encode PEM", e);
        }
        return out.toString();
    }

    private static byte[] sec1(java.security.interfaces.ECPrivateKey key) throws IOException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        org.bouncycastle.asn1.ASN1ObjectIdentifier curve = org.bouncycastle.asn1.ASN1ObjectIdentifier.getInstance(
                info.getPrivateKeyAlgorithm().getParameters());
        org.bouncycastle.asn1.x9.X9ECParameters parameters = org.bouncycastle.asn1.x9.ECNamedCurveTable.getByOID(curve);
        if (parameters == null) {
            throw new PkiException("unsupported EC curve " + curve);
        }
        byte[] publicPoint = parameters.getG().multiply(key.getS()).normalize().getEncoded(false);
        return new org.bouncycastle.asn1.sec.ECPrivateKey(parameters.getN().bitLength(), key.getS(),
                new org.bouncycastle.asn1.DERBitString(publicPoint), curve).getEncoded();
    }

    /** Writes atomically; private keys are readable by the owner only. */
    public static void write(Path file, String pem, boolean secret) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new PkiException("cannot write " + file, e);
        }
    }

    public static List<X509Certificate> readCertificates(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            return parseCertificates(reader, file.toString());
        } catch (IOException e) {
            throw new PkiException("cannot read " + file, e);
        }
    }

    public static List<X509Certificate> parseCertificates(Reader reader, String source) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(reader)) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof X509CertificateHolder holder) {
                    certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
                }
            }
        } catch (CertificateException e) {
            throw new PkiException("bad certificate in " + source, e);
        }
        if (certificates.isEmpty()) {
            throw new PkiException("no certificate in " + source);
        }
        return certificates;
    }

    public static X509Certificate readCertificate(Path file) {
        return readCertificates(file).get(0);
    }

    public static PublicKey readPublicKey(Path file) {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            if (parser.readObject() instanceof SubjectPublicKeyInfo info) {
                return new JcaPEMKeyConverter().getPublicKey(info);
            }
            throw new PkiException("no public key in " + file);
        } catch (IOException e) {
            throw new PkiException("cannot read " + file, e);
        }
    }

    public static PrivateKey readPrivateKey(Path file) {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            Object item = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (item instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (item instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new PkiException("no private key in " + file);
        } catch (IOException e) {
            throw new PkiException("cannot read " + file, e);
        }
    }
}
