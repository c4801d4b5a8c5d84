package dev.flotilla.controllers.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import java.util.List;

/** Reads the decision conditions (Approved, Denied, Failed) of a CSR. */
final class CsrConditions {

    private CsrConditions() {
    }

    static boolean has(CertificateSigningRequest csr, String type) {
        List<CertificateSigningRequestCondition> conditions = csr.getStatus() == null ? null
                : csr.getStatus().getConditions();
        return conditions != null && conditions.stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static boolean decided(CertificateSigningRequest csr) {
        return has(csr, "Approved") || has(csr, "Denied");
    }

    static boolean issued(CertificateSigningRequest csr) {
        return csr.getStatus() != null && csr.getStatus().getCertificate() != null
                && !csr.getStatus().getCertificate().isEmpty();
    }
}
