package dev.flotilla.apiserver.admission.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.GeneratedNames;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.apiserver.admission.AdmissionAttributes;
import dev.flotilla.apiserver.admission.AdmissionOperation;
import dev.flotilla.apiserver.admission.AdmissionPlugin;
import dev.flotilla.apiserver.resource.ResourceStore;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Upstream's ServiceAccount admission on pod create: a pod without {@code serviceAccountName} runs
 * as {@code default}; a pod naming a ServiceAccount that does not exist is refused (403
 * {@code error looking up service account ns/sa: serviceaccount "sa" not found}); a pod without
 * imagePullSecrets gets its account's; unless the pod or its account turns automountServiceAccountToken
 * off, the {@link TokenVolume} is added and mounted. Mirror pods are left alone, as upstream.
 */
@Singleton
public class ServiceAccountAdmission implements AdmissionPlugin {

    static final String DEFAULT = "default";
    private static final String MIRROR = "kubernetes.io/config.mirror";

    private final ResourceStore store;
    private final ResourceRegistry registry;

    public ServiceAccountAdmission(ResourceStore store, ResourceRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    @Override
    public String name() {
        return "ServiceAccount";
    }

    @Override
    public void admit(AdmissionAttributes attributes) {
        if (attributes.operation() != AdmissionOperation.CREATE || !attributes.is("", "pods")
                || attributes.object().path("metadata").path("annotations").has(MIRROR)) {
            return;
        }
        ObjectNode spec = attributes.object().with("spec");
        String account = spec.path("serviceAccountName").asText("");
        if (account.isEmpty()) {
            account = spec.path("serviceAccount").asText("");
        }
        if (account.isEmpty()) {
            account = DEFAULT;
        }
        spec.put("serviceAccountName", account);
        // From the watch cache as upstream's lister (etcd on a miss, so one created a moment ago is found).
        Optional<ObjectNode> found = store.getWithOwnWrites(registry.find("", "v1", "serviceaccounts").orElseThrow(),
                attributes.namespace(), account);
        if (found.isEmpty()) {
            // Deviation: the default account the controller creates shortly after the namespace is
            // not waited for, so a pod created in that gap is admitted rather than refused.
            if (!account.equals(DEFAULT)) {
                throw attributes.forbidden(notFound(attributes.namespace(), account));
            }
        }
        if (TokenVolume.shouldAutomount(spec, found.orElse(null))) {
            TokenVolume.mount(spec, () -> GeneratedNames.generate(TokenVolume.PREFIX));
        }
        found.ifPresent(sa -> copyPullSecrets(sa, spec));
    }

    static String notFound(String namespace, String account) {
        return "error looking up service account " + namespace + "/" + account + ": serviceaccount \"" + account
                + "\" not found";
    }

    static void copyPullSecrets(JsonNode account, ObjectNode podSpec) {
        JsonNode secrets = account.path("imagePullSecrets");
        if (!podSpec.path("imagePullSecrets").isEmpty() || secrets.isEmpty()) {
            return;
        }
        var copied = podSpec.putArray("imagePullSecrets");
        secrets.forEach(secret -> copied.addObject().put("name", secret.path("name").asText()));
    }
}
