package dev.flotilla.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.admission.AdmissionAttributes;
import dev.flotilla.apiserver.admission.AdmissionOperation;
import dev.flotilla.apiserver.admission.AdmissionPlugin;
import dev.flotilla.apiserver.resource.ResourceStore;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Upstream's PodSecurity admission plugin (validating): pods are checked against their namespace's
 * {@code pod-security.kubernetes.io/enforce} level and refused with upstream's 403
 * ({@code pods "p" is forbidden: violates PodSecurity "restricted:latest": ...}); the {@code warn}
 * level's violations come back as Warning headers; pod controllers and pod templates only get the
 * warnings. A namespace whose enforce label becomes stricter is answered with warnings naming the
 * existing pods that would now be refused ({@link ExistingPods}). Invalid labels on a namespace are
 * a 422, as upstream.
 */
@Singleton
public class PodSecurityAdmission implements AdmissionPlugin {

    private final ResourceStore store;
    private final ResourceRegistry registry;
    private final NamespacePolicy defaults;
    private final Set<String> exemptUsers;
    private final Set<String> exemptNamespaces;
    private final Set<String> exemptRuntimeClasses;

    public PodSecurityAdmission(ResourceStore store, ResourceRegistry registry, PodSecurityProperties properties) {
        this.store = store;
        this.registry = registry;
        this.defaults = properties.defaults();
        this.exemptUsers = Set.copyOf(properties.getExemptUsernames());
        this.exemptNamespaces = Set.copyOf(properties.getExemptNamespaces());
        this.exemptRuntimeClasses = Set.copyOf(properties.getExemptRuntimeClasses());
    }

    @Override
    public String name() {
        return "PodSecurity";
    }

    @Override
    public void validate(AdmissionAttributes attributes) {
        if (attributes.operation() == AdmissionOperation.DELETE) {
            return;
        }
        ResourceType type = attributes.type();
        if (type.group().isEmpty() && type.resource().equals("namespaces")) {
            if (attributes.subresource() == null) {
                validateNamespace(attributes);
            }
        } else if (type.group().isEmpty() && type.resource().equals("pods")) {
            if (attributes.subresource() == null || attributes.subresource().equals("ephemeralcontainers")) {
                validatePod(attributes);
            }
        } else if (PodTemplates.makesPods(type) && attributes.subresource() == null) {
            PodTemplates.of(type, attributes.object())
                    .ifPresent(template -> evaluate(attributes, template.metadata(), template.spec(), false));
        }
    }

    private void validatePod(AdmissionAttributes attributes) {
        ObjectNode pod = attributes.object();
        if (attributes.operation() == AdmissionOperation.UPDATE && attributes.subresource() == null
                && !PodUpdates.significant(pod, attributes.oldObject())) {
            return;
        }
        evaluate(attributes, pod.path("metadata"), pod.path("spec"), true);
    }

    private void evaluate(AdmissionAttributes attributes, JsonNode metadata, JsonNode spec, boolean enforce) {
        if (exemptNamespaces.contains(attributes.namespace()) || exemptUsers.contains(attributes.user().name())) {
            return;
        }
        Optional<NamespacePolicy> found = policyOf(attributes.namespace());
        if (found.isEmpty() || found.get().fullyPrivileged()
                || exemptRuntimeClasses.contains(spec.path("runtimeClassName").asText(""))) {
            return;
        }
        NamespacePolicy policy = found.get();
        List<Violation> enforced = List.of();
        if (enforce) {
            enforced = PodSecurityEvaluator.evaluate(policy.enforce().level(), metadata, spec);
            if (!enforced.isEmpty()) {
                throw attributes.forbidden("violates PodSecurity \"" + policy.enforce() + "\": "
                        + PodSecurityEvaluator.describe(enforced));
            }
        }
        List<Violation> warned = PodSecurityEvaluator.evaluate(policy.warn().level(), metadata, spec);
        if (!warned.isEmpty()) {
            attributes.warnings().add("would violate PodSecurity \"" + policy.warn() + "\": "
                    + PodSecurityEvaluator.describe(warned));
        }
    }

    private Optional<NamespacePolicy> policyOf(String namespace) {
        if (namespace == null) {
            return Optional.empty();
        }
        return store.getWithOwnWrites(namespaces(), null, namespace)
                .map(ns -> NamespacePolicy.from(ns.path("metadata").path("labels"), defaults).policy());
    }

    private void validateNamespace(AdmissionAttributes attributes) {
        ObjectNode namespace = attributes.object();
        NamespacePolicy.Parsed parsed = NamespacePolicy.from(namespace.path("metadata").path("labels"), defaults);
        if (attributes.operation() == AdmissionOperation.CREATE) {
            if (!parsed.errors().isEmpty()) {
                throw ApiError.invalid("", "Namespace", attributes.name(), parsed.errors());
            }
            return;
        }
        NamespacePolicy.Parsed old = NamespacePolicy.from(attributes.oldObject().path("metadata").path("labels"),
                defaults);
        if (!parsed.errors().isEmpty() && (old.errors().isEmpty() || !parsed.errors().equals(old.errors()))) {
            throw ApiError.invalid("", "Namespace", attributes.name(), parsed.errors());
        }
        LevelVersion enforce = parsed.policy().enforce();
        LevelVersion previous = old.policy().enforce();
        if (enforce.equals(previous) || enforce.level() == Level.PRIVILEGED
                || (Objects.equals(enforce.version(), previous.version()) && enforce.level().compareTo(previous.level()) < 1)
                || exemptNamespaces.contains(attributes.name())) {
            return;
        }
        attributes.warnings().addAll(ExistingPods.warnings(attributes.name(), enforce,
                store.cachedWithOwnWrites(pods(), attributes.name()).items().stream().map(ResourceStore::decode)
                        .filter(pod -> !exemptRuntimeClasses.contains(
                                pod.path("spec").path("runtimeClassName").asText("")))
                        .toList()));
    }

    private ResourceType namespaces() {
        return registry.find("", "v1", "namespaces").orElseThrow();
    }

    private ResourceType pods() {
        return registry.find("", "v1", "pods").orElseThrow();
    }
}
