package dev.flotilla.api.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority: its own certificate and key, and the ability to issue certificates
 * signed by it. Keys are RSA 2048 (kubeadm's default), because some client libraries (fabric8,
 * older official clients) cannot read EC client keys from a kubeconfig.
 */
public final class CertificateAuthority {

    private static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    public CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /** Creates a new self-signed CA. */
    public static CertificateAuthority create(String commonName, Duration validity) {
        try {
            KeyPair keys = newKeyPair();
            X500Name subject = name(commonName, List.of());
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject, serial(), Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)),
                    subject, keys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new PkiException("cannot create certificate authority " + commonName, e);
        }
    }

    /** Issues a certificate with a freshly generated key. */
    public IssuedCertificate issue(CertificateSpec spec) {
        KeyPair keys = newKeyPair();
        return new IssuedCertificate(issue(spec, keys.getPublic()), keys.getPrivate());
    }

    /** Issues a certificate for a public key someone else holds the private half of (a CSR's key). */
    public X509Certificate issue(CertificateSpec spec, PublicKey publicKey) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    certificate, serial(), Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(spec.validity())),
                    name(spec.commonName(), spec.organizations()), publicKey);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, extendedKeyUsage(spec.usage()));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(certificate));
            List<GeneralName> altNames = new ArrayList<>();
            spec.dnsNames().forEach(dns -> altNames.add(new GeneralName(GeneralName.dNSName, dns)));
            spec.ipAddresses().forEach(ip -> altNames.add(new GeneralName(GeneralName.iPAddress, ip)));
            if (!altNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(altNames.toArray(GeneralName[]::new)));
            }
            return sign(builder, privateKey);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new PkiException("cannot issue certificate for " + spec.commonName(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** Whether {@code candidate} was signed by this CA and is valid now. */
    public boolean verifies(X509Certificate candidate) {
        try {
            candidate.verify(certificate.getPublicKey());
            candidate.checkValidity();
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot generate an RSA key", e);
        }
    }

    private static ExtendedKeyUsage extendedKeyUsage(CertificateSpec.Usage usage) {
        return switch (usage) {
            case CLIENT -> new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth);
            case SERVER -> new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth);
            case CLIENT_AND_SERVER -> new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth});
        };
    }

    private static X500Name name(String commonName, List<String> organizations) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        organizations.forEach(o -> builder.addRDN(BCStyle.O, o));
        builder.addRDN(BCStyle.CN, commonName);
        return builder.build();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : SIGNATURE_ALGORITHM;
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
