package dev.flotilla.node.join;

import java.security.cert.X509Certificate;

/** A cluster whose CA has been verified: the API server URL and the CA to pin TLS to. */
public record TrustedCluster(String server, X509Certificate ca) {
}
