package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.UserInfo;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.apiserver.resource.NameValidation;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * CertificateSigningRequests: the requester's identity (username, uid, groups, extra) is recorded
 * from the request's credentials, never from the body; the request must be a PEM CERTIFICATE
 * REQUEST that parses; signerName and usages are checked as upstream. The spec never changes after
 * create. Signing is the controller manager's job.
 */
@Singleton
public class CertificateSigningRequestStrategy implements KindStrategy {

    static final List<String> USAGES = List.of("any", "cert sign", "client auth", "code signing", "content commitment",
            "crl sign", "data encipherment", "decipher only", "digital signature", "email protection",
            "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement", "key encipherment",
            "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping");
    private static final String SIGNER_FORM = "must be a fully qualified domain and path of the form "
            + "'example.com/signer-name'";

    @Override
    public Set<String> kinds() {
        return Set.of("certificates.k8s.io/CertificateSigningRequest");
    }

    @Override
    public void prepareForCreate(ObjectNode csr, UserInfo creator) {
        csr.remove("status");
        ObjectNode spec = csr.with("spec");
        spec.put("username", creator.name());
        if (creator.uid().isEmpty()) {
            spec.remove("uid");
        } else {
            spec.put("uid", creator.uid());
        }
        ArrayNode groups = spec.putArray("groups");
        creator.groups().forEach(groups::add);
        spec.remove("extra");
        if (!creator.extra().isEmpty()) {
            ObjectNode extra = spec.putObject("extra");
            for (Map.Entry<String, List<String>> entry : new TreeMap<>(creator.extra()).entrySet()) {
                ArrayNode values = extra.putArray(entry.getKey());
                entry.getValue().forEach(values::add);
            }
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode csr) {
        JsonNode spec = csr.path("spec");
        List<FieldError> errors = new ArrayList<>();
        String problem = requestProblem(spec.path("request").asText(""));
        if (problem != null) {
            errors.add(FieldError.invalid("spec.request", new FieldError.GoValue("[]byte{...}"), problem));
        }
        String signer = spec.path("signerName").asText("");
        if (signer.isEmpty()) {
            errors.add(FieldError.required("spec.signerName", ""));
        } else if (!wellFormedSigner(signer)) {
            errors.add(FieldError.invalid("spec.signerName", signer, SIGNER_FORM));
        }
        JsonNode usages = spec.path("usages");
        if (usages.isEmpty()) {
            errors.add(FieldError.required("spec.usages", ""));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < usages.size(); i++) {
            String usage = usages.get(i).asText();
            if (!USAGES.contains(usage)) {
                errors.add(FieldError.notSupported("spec.usages[" + i + "]", usage, USAGES));
            } else if (!seen.add(usage)) {
                errors.add(new FieldError("spec.usages[" + i + "]", FieldError.Type.DUPLICATE, usage, null));
            }
        }
        JsonNode expiration = spec.path("expirationSeconds");
        if (expiration.isNumber() && expiration.asLong() < 600) {
            errors.add(FieldError.invalid("spec.expirationSeconds", expiration.asLong(),
                    "may not specify a duration less than 600 seconds (10 minutes)"));
        }
        return errors;
    }

    /** The spec (and with it the requester) is fixed at create, whatever an update sends. */
    @Override
    public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
        updated.set("spec", old.path("spec").deepCopy());
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode updated, ObjectNode old) {
        return List.of();
    }

    /** Why {@code spec.request} (base64 of PEM, as JSON carries bytes) is not a CSR, or null if it is one. */
    static String requestProblem(String base64) {
        byte[] pem;
        try {
            pem = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return "PEM block type must be CERTIFICATE REQUEST";
        }
        try (PemReader reader = new PemReader(new StringReader(new String(pem, java.nio.charset.StandardCharsets.US_ASCII)))) {
            PemObject block = reader.readPemObject();
            if (block == null || !block.getType().equals("CERTIFICATE REQUEST")) {
                return "PEM block type must be CERTIFICATE REQUEST";
            }
            new PKCS10CertificationRequest(block.getContent());
            return null;
        } catch (IOException | RuntimeException e) {
            return "asn1: structure error: " + e.getMessage();
        }
    }

    private static boolean wellFormedSigner(String signer) {
        String[] parts = signer.split("/", -1);
        if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return false;
        }
        return NameValidation.nameProblems(parts[0], NameValidation.NameRule.SUBDOMAIN).isEmpty()
                && parts[0].contains(".");
    }
}
