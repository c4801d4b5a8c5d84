package dev.flotilla.api.pki;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A TLS key manager for one certificate and key kept in PEM files that are replaced while the
 * process runs (certificate rotation): each handshake uses what the files hold now, read again only
 * when their modification times change. Connections already open keep the certificate they started
 * with. A pair that cannot be read (say, half replaced) leaves the last good one in use.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "current";

    private final Path certificateFile;
    private final Path keyFile;
    private volatile Loaded loaded;

    private record Loaded(FileTime certificateTime, FileTime keyTime, X509Certificate[] chain, PrivateKey key) {
    }

    /** Reads the pair once now, so a missing or broken file is an error at start-up rather than at the first handshake. */
    public ReloadingKeyManager(Path certificateFile, Path keyFile) {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.loaded = load();
    }

    private Loaded current() {
        Loaded last = loaded;
        try {
            if (last.certificateTime().equals(Files.getLastModifiedTime(certificateFile))
                    && last.keyTime().equals(Files.getLastModifiedTime(keyFile))) {
                return last;
            }
            Loaded fresh = load();
            loaded = fresh;
            return fresh;
        } catch (IOException | RuntimeException e) {
            return last;
        }
    }

    private Loaded load() {
        try {
            FileTime certificateTime = Files.getLastModifiedTime(certificateFile);
            FileTime keyTime = Files.getLastModifiedTime(keyFile);
            List<X509Certificate> chain = PemFiles.readCertificates(certificateFile);
            PrivateKey key = PemFiles.readPrivateKey(keyFile);
            requirePair(chain.get(0), key);
            return new Loaded(certificateTime, keyTime, chain.toArray(new X509Certificate[0]), key);
        } catch (IOException e) {
            throw new PkiException("cannot read " + certificateFile + " or " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** The two files are replaced one after the other: between the two writes they do not belong together. */
    private void requirePair(X509Certificate certificate, PrivateKey key) {
        try {
            String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            byte[] probe = "flotilla".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new PkiException("the key in " + keyFile + " does not belong to the certificate in " + certificateFile);
            }
        } catch (GeneralSecurityException e) {
            throw new PkiException("the key in " + keyFile + " does not belong to the certificate in " + certificateFile, e);
        }
    }

    /** The certificate handshakes present now. */
    public X509Certificate certificate() {
        return current().chain()[0];
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return matches(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return matches(keyType) ? ALIAS : null;
    }

    /** A server is asked per key type (RSA, EC); answering for the wrong one breaks the handshake. */
    private boolean matches(String keyType) {
        String algorithm = current().key().getAlgorithm();
        return keyType == null || keyType.equalsIgnoreCase(algorithm)
                || (keyType.equalsIgnoreCase("EC") && algorithm.equalsIgnoreCase("ECDSA"));
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? current().chain().clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? current().key() : null;
    }
}
