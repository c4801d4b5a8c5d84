package dev.flotilla.api.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate together with the private key it was issued for. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {
}
