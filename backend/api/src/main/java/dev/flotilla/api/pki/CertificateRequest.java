package dev.flotilla.api.pki;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * PKCS#10 certificate requests as a CSR's {@code spec.request} carries them (PEM, base64 in JSON): what
 * one asks for (subject CN and O, DNS and IP SANs, the public key, whether its self-signature holds),
 * and making one for a fresh EC P-256 key, as a kubelet does.
 */
public record CertificateRequest(String commonName, List<String> organizations, List<String> dnsNames,
        List<String> ipAddresses, List<String> emailAddresses, List<String> uris, PublicKey publicKey,
        boolean signatureValid) {

    public CertificateRequest {
        organizations = List.copyOf(organizations);
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        emailAddresses = List.copyOf(emailAddresses);
        uris = List.copyOf(uris);
    }

    /** Parses PEM text holding one CERTIFICATE REQUEST block. */
    public static CertificateRequest parsePem(String pem) {
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            PemObject block = reader.readPemObject();
            if (block == null || !block.getType().equals("CERTIFICATE REQUEST")) {
                throw new PkiException("PEM block type must be CERTIFICATE REQUEST");
            }
            return of(new JcaPKCS10CertificationRequest(block.getContent()));
        } catch (IOException | GeneralSecurityException | OperatorCreationException | PKCSException
                | RuntimeException e) {
            if (e instanceof PkiException pki) {
                throw pki;
            }
            throw new PkiException("not a certificate request: " + e.getMessage(), e);
        }
    }

    /** Parses the base64 (of PEM) that the JSON form of {@code spec.request} holds. */
    public static CertificateRequest parseBase64Pem(String base64) {
        try {
            return parsePem(new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new PkiException("spec.request is not base64", e);
        }
    }

    /** A fresh EC P-256 key pair. */
    public static KeyPair newEcKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot generate an EC P-256 key", e);
        }
    }

    /** PEM of a CSR for {@code keys} with the given subject and SANs, signed with the private key. */
    public static String createPem(KeyPair keys, String commonName, List<String> organizations,
            List<String> dnsNames, List<String> ipAddresses) {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
        organizations.forEach(o -> name.addRDN(BCStyle.O, o));
        name.addRDN(BCStyle.CN, commonName);
        try {
            JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(name.build(),
                    keys.getPublic());
            List<GeneralName> sans = new ArrayList<>();
            dnsNames.forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
            ipAddresses.forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
            if (!sans.isEmpty()) {
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(GeneralName[]::new)));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            String algorithm = keys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            PKCS10CertificationRequest csr = builder.build(new JcaContentSignerBuilder(algorithm)
                    .build(keys.getPrivate()));
            return "-----BEGIN CERTIFICATE REQUEST-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(csr.getEncoded())
                    + "\n-----END CERTIFICATE REQUEST-----\n";
        } catch (IOException | OperatorCreationException e) {
            throw new PkiException("cannot create a certificate request for " + commonName, e);
        }
    }

    private static CertificateRequest of(JcaPKCS10CertificationRequest csr)
            throws GeneralSecurityException, OperatorCreationException, PKCSException {
        X500Name subject = csr.getSubject();
        String cn = "";
        for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
            cn = IETFUtils.valueToString(rdn.getFirst().getValue());
        }
        List<String> orgs = new ArrayList<>();
        for (RDN rdn : subject.getRDNs(BCStyle.O)) {
            orgs.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
        }
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        for (Attribute attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (ASN1Encodable value : attribute.getAttrValues()) {
                GeneralNames names = GeneralNames.fromExtensions(Extensions.getInstance(value),
                        Extension.subjectAlternativeName);
                if (names == null) {
                    continue;
                }
                for (GeneralName san : names.getNames()) {
                    switch (san.getTagNo()) {
                        case GeneralName.dNSName -> dns.add(san.getName().toString());
                        case GeneralName.iPAddress -> ips.add(ip(((DEROctetString) san.getName()).getOctets()));
                        case GeneralName.rfc822Name -> emails.add(san.getName().toString());
                        case GeneralName.uniformResourceIdentifier -> uris.add(san.getName().toString());
                        default -> uris.add(san.getName().toString());
                    }
                }
            }
        }
        PublicKey key = csr.getPublicKey();
        boolean valid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
        return new CertificateRequest(cn, orgs, dns, ips, emails, uris, key, valid);
    }

    private static String ip(byte[] octets) {
        try {
            return InetAddress.getByAddress(octets).getHostAddress();
        } catch (UnknownHostException e) {
            return "";
        }
    }
}
