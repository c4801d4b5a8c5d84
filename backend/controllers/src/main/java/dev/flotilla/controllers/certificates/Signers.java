package dev.flotilla.controllers.certificates;

import dev.flotilla.api.pki.CertificateRequest;
import dev.flotilla.api.pki.CertificateSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in signers this controller manager signs for, with upstream's rules for what each may
 * issue (docs/node-join.md): a request that breaks them is marked Failed, never signed.
 */
enum Signers {

    /** A kubelet's client certificate: CN {@code system:node:<name>}, O {@code system:nodes}, no SANs. */
    KUBELET_CLIENT("kubernetes.io/kube-apiserver-client-kubelet", "client auth", CertificateSpec.Usage.CLIENT),
    /** A kubelet's serving certificate: node identity plus DNS/IP SANs, no email or URI SANs. */
    KUBELET_SERVING("kubernetes.io/kubelet-serving", "server auth", CertificateSpec.Usage.SERVER),
    /** Any client certificate the API server accepts. */
    APISERVER_CLIENT("kubernetes.io/kube-apiserver-client", "client auth", CertificateSpec.Usage.CLIENT);

    static final String NODE_PREFIX = "system:node:";
    static final String NODES_GROUP = "system:nodes";

    private final String signerName;
    private final String requiredUsage;
    private final CertificateSpec.Usage usage;

    Signers(String signerName, String requiredUsage, CertificateSpec.Usage usage) {
        this.signerName = signerName;
        this.requiredUsage = requiredUsage;
        this.usage = usage;
    }

    static Optional<Signers> named(String signerName) {
        for (Signers signer : values()) {
            if (signer.signerName.equals(signerName)) {
                return Optional.of(signer);
            }
        }
        return Optional.empty();
    }

    String signerName() {
        return signerName;
    }

    CertificateSpec.Usage usage() {
        return usage;
    }

    /** Why this signer refuses the request, or empty when it may sign it. */
    Optional<String> problem(CertificateRequest request, List<String> usages) {
        if (!request.signatureValid()) {
            return Optional.of("the request's signature does not verify");
        }
        Set<String> allowed = Set.of("digital signature", "key encipherment", requiredUsage);
        if (!usages.contains(requiredUsage) || !allowed.containsAll(usages)) {
            return Optional.of("usages must include \"" + requiredUsage + "\" and only " + allowed);
        }
        if (this == APISERVER_CLIENT) {
            return request.commonName().isEmpty() ? Optional.of("the subject needs a common name") : Optional.empty();
        }
        if (!request.commonName().startsWith(NODE_PREFIX) || request.commonName().length() == NODE_PREFIX.length()
                || !request.organizations().equals(List.of(NODES_GROUP))) {
            return Optional.of("subject must be CN=system:node:<name>, O=system:nodes");
        }
        if (!request.emailAddresses().isEmpty() || !request.uris().isEmpty()) {
            return Optional.of("email and URI subjectAltNames are not allowed");
        }
        boolean hasNames = !request.dnsNames().isEmpty() || !request.ipAddresses().isEmpty();
        if (this == KUBELET_CLIENT && hasNames) {
            return Optional.of("DNS and IP subjectAltNames are not allowed");
        }
        if (this == KUBELET_SERVING && !hasNames) {
            return Optional.of("at least one DNS or IP subjectAltName is required");
        }
        return Optional.empty();
    }
}
