package dev.flotilla.node.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.pki.CertificateRequest;
import dev.flotilla.api.pki.IssuedCertificate;
import dev.flotilla.api.pki.PemFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * Gets a certificate the way a kubelet does: a fresh EC P-256 key, a CertificateSigningRequest for one
 * signer, then polling until the controller manager approved and signed it (or denied it, or the
 * timeout passed), printing progress while it waits.
 */
final class CertificateRequester {

    static final String CSR_PATH = "/apis/certificates.k8s.io/v1/certificatesigningrequests";
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    /** What to ask for: subject, names, signer, usages and (optionally) a lifetime. */
    record Wanted(String commonName, List<String> organizations, List<String> dnsNames, List<String> ipAddresses,
            String signerName, List<String> usages, Duration expiration) {
    }

    private final ApiConnection api;
    private final Duration timeout;
    private final Consumer<String> progress;

    CertificateRequester(ApiConnection api, Duration timeout, Consumer<String> progress) {
        this.api = api;
        this.timeout = timeout;
        this.progress = progress;
    }

    IssuedCertificate request(Wanted wanted) {
        KeyPair keys = CertificateRequest.newEcKeyPair();
        String pem = CertificateRequest.createPem(keys, wanted.commonName(), wanted.organizations(), wanted.dnsNames(),
                wanted.ipAddresses());
        ObjectNode csr = Json.mapper().createObjectNode();
        csr.put("apiVersion", "certificates.k8s.io/v1");
        csr.put("kind", "CertificateSigningRequest");
        csr.putObject("metadata").put("generateName", "node-csr-");
        ObjectNode spec = csr.putObject("spec");
        spec.put("request", Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)));
        spec.put("signerName", wanted.signerName());
        wanted.usages().forEach(spec.withArray("usages")::add);
        if (wanted.expiration() != null) {
            spec.put("expirationSeconds", wanted.expiration().toSeconds());
        }
        ApiConnection.Response created = api.post(CSR_PATH, csr);
        if (created.code() == 401) {
            throw new JoinException("the API server refused the credentials (401 Unauthorized): the bootstrap token"
                    + " is unknown, expired or deleted; create a new one with 'flotilla join-token create'");
        }
        if (created.code() != 201) {
            throw new JoinException("the API server refused the certificate request (HTTP " + created.code() + ": "
                    + created.body().path("message").asText("") + ")");
        }
        String name = created.body().path("metadata").path("name").asText();
        progress.accept("[csr] submitted " + name + " to " + wanted.signerName() + " as " + wanted.commonName()
                + "; waiting for approval and signing (up to " + timeout.toSeconds() + "s)");
        X509Certificate certificate = await(name);
        progress.accept("[csr] " + name + " signed; valid until " + certificate.getNotAfter().toInstant());
        return new IssuedCertificate(certificate, keys.getPrivate());
    }

    private X509Certificate await(String name) {
        Instant deadline = Instant.now().plus(timeout);
        Instant nextProgress = Instant.now().plus(PROGRESS_EVERY);
        while (true) {
            ApiConnection.Response current = api.get(CSR_PATH + "/" + name);
            if (current.code() != 200) {
                throw new JoinException("cannot read certificate request " + name + " (HTTP " + current.code() + ": "
                        + current.body().path("message").asText("") + ")");
            }
            JsonNode status = current.body().path("status");
            for (JsonNode condition : status.path("conditions")) {
                String type = condition.path("type").asText();
                if ((type.equals("Denied") || type.equals("Failed")) && condition.path("status").asText().equals("True")) {
                    throw new JoinException("certificate request " + name + " was " + type.toLowerCase() + " ("
                            + condition.path("reason").asText("") + ": " + condition.path("message").asText("")
                            + "); ask an administrator to check it with 'kubectl describe csr " + name + "'");
                }
            }
            String certificate = status.path("certificate").asText("");
            if (!certificate.isEmpty()) {
                return parse(certificate, name);
            }
            Instant now = Instant.now();
            if (now.isAfter(deadline)) {
                throw new JoinException("certificate request " + name + " was not approved and signed within "
                        + timeout.toSeconds() + "s: check that the controller manager runs, or approve it with"
                        + " 'kubectl certificate approve " + name + "'");
            }
            if (now.isAfter(nextProgress)) {
                progress.accept("[csr] still waiting for " + name + " ("
                        + (status.path("conditions").isEmpty() ? "pending approval" : "approved, awaiting signature")
                        + ")");
                nextProgress = now.plus(PROGRESS_EVERY);
            }
            pause();
        }
    }

    private static X509Certificate parse(String base64, String name) {
        try {
            String pem = new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
            return PemFiles.parseCertificates(new StringReader(pem), name).get(0);
        } catch (IOException | RuntimeException e) {
            throw new JoinException("the certificate issued for " + name + " does not parse: " + e.getMessage(), e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JoinException("interrupted while waiting for the certificate", e);
        }
    }
}
