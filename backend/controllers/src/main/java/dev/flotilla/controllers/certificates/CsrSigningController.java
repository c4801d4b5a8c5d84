package dev.flotilla.controllers.certificates;

import dev.flotilla.api.pki.CertificateAuthority;
import dev.flotilla.api.pki.CertificateRequest;
import dev.flotilla.api.pki.CertificateSpec;
import dev.flotilla.api.pki.PemFiles;
import dev.flotilla.api.pki.PkiException;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Upstream's csrsigning controller for the built-in {@link Signers}: an Approved CSR (not Denied, not
 * Failed, not yet issued) is signed with the cluster CA and its {@code status.certificate} written through
 * {@code /status}; a request its signer may not issue gets a Failed condition (SignerValidationFailure).
 * The certificate lives {@code spec.expirationSeconds} (at least 10 minutes) or the signer's maximum,
 * whichever is shorter.
 */
public final class CsrSigningController implements Controller {

    static final Duration MINIMUM_DURATION = Duration.ofMinutes(10);

    private final CertificateAuthority ca;
    private final Duration maximumDuration;
    private KubernetesClient client;
    private SharedIndexInformer<CertificateSigningRequest> csrs;

    public CsrSigningController(CertificateAuthority ca, Duration maximumDuration) {
        this.ca = ca;
        this.maximumDuration = maximumDuration;
    }

    /** The signer of upstream's {@code --cluster-signing-cert-file} / {@code --cluster-signing-key-file}. */
    public static CsrSigningController fromFiles(java.nio.file.Path certificate, java.nio.file.Path key,
            Duration maximumDuration) {
        return new CsrSigningController(new CertificateAuthority(PemFiles.readCertificate(certificate),
                PemFiles.readPrivateKey(key)), maximumDuration);
    }

    @Override
    public String name() {
        return "csrsigning";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        csrs = context.informers().of(CertificateSigningRequest.class);
        csrs.addEventHandler(Enqueue.by(queue, csr -> csr.getMetadata().getName()));
    }

    @Override
    public void reconcile(String key) {
        CertificateSigningRequest csr = csrs.getStore().getByKey(key);
        if (csr == null || CsrConditions.issued(csr) || !CsrConditions.has(csr, "Approved")
                || CsrConditions.has(csr, "Denied") || CsrConditions.has(csr, "Failed")) {
            return;
        }
        Optional<Signers> signer = Signers.named(csr.getSpec().getSignerName());
        if (signer.isEmpty()) {
            return;
        }
        CertificateRequest request;
        try {
            request = CertificateRequest.parseBase64Pem(csr.getSpec().getRequest());
        } catch (PkiException e) {
            fail(csr, "the request does not parse: " + e.getMessage());
            return;
        }
        List<String> usages = csr.getSpec().getUsages() == null ? List.of() : csr.getSpec().getUsages();
        Optional<String> problem = signer.get().problem(request, usages);
        if (problem.isPresent()) {
            fail(csr, problem.get());
            return;
        }
        X509Certificate certificate = ca.issue(new CertificateSpec(request.commonName(), request.organizations(),
                request.dnsNames(), request.ipAddresses(), signer.get().usage(), duration(csr)), request.publicKey());
        String pem = PemFiles.toPem(certificate);
        CertificateSigningRequest signed = new CertificateSigningRequestBuilder(csr).editOrNewStatus()
                .withCertificate(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)))
                .endStatus().build();
        client.certificates().v1().certificateSigningRequests().resource(signed).updateStatus();
    }

    Duration duration(CertificateSigningRequest csr) {
        Integer seconds = csr.getSpec().getExpirationSeconds();
        if (seconds == null) {
            return maximumDuration;
        }
        Duration asked = Duration.ofSeconds(seconds);
        if (asked.compareTo(MINIMUM_DURATION) < 0) {
            return MINIMUM_DURATION;
        }
        return asked.compareTo(maximumDuration) < 0 ? asked : maximumDuration;
    }

    private void fail(CertificateSigningRequest csr, String message) {
        CertificateSigningRequestStatus status = csr.getStatus();
        List<io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition> conditions =
                new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
        String now = Instant.now().toString();
        conditions.add(new CertificateSigningRequestConditionBuilder().withType("Failed").withStatus("True")
                .withReason("SignerValidationFailure").withMessage(message).withLastUpdateTime(now)
                .withLastTransitionTime(now).build());
        CertificateSigningRequest failed = new CertificateSigningRequestBuilder(csr).editStatus()
                .withConditions(conditions).endStatus().build();
        client.certificates().v1().certificateSigningRequests().resource(failed).updateStatus();
    }
}
