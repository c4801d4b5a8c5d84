package dev.flotilla.controllers.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.tenancy.TenancyApi;
import dev.flotilla.api.tenancy.TenantNamespaceDefaults;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Brings one tenant namespace to what its Tenant asks: its labels, the derived objects (created,
 * rewritten when they drifted, deleted when no longer wanted) and, once all that is done, the
 * defaults-applied annotation that lets pods in.
 */
final class TenantNamespaceSync {

    /** The fields that make a managed object what it is; metadata and status are the server's. */
    private static final List<String> CONTENT = List.of("spec", "subjects", "roleRef");

    private final KubernetesClient client;
    private final ManagedObjects managed;

    TenantNamespaceSync(KubernetesClient client, ManagedObjects managed) {
        this.client = client;
        this.managed = managed;
    }

    /**
     * Syncs the namespace's derived objects and labels; the annotation that lets pods in only once
     * {@code admitPods} (the tenant's aggregate quota is counted, so pods are not refused as
     * "status unknown").
     */
    void sync(ObjectNode tenant, Namespace namespace, boolean admitPods) {
        String name = namespace.getMetadata().getName();
        List<TenantNamespaceDefaults.Desired> desired = TenantNamespaceDefaults.of(tenant, name);
        Set<String> wanted = new HashSet<>();
        for (TenantNamespaceDefaults.Desired object : desired) {
            wanted.add(object.kind() + "/" + object.name());
            ensure(name, object);
        }
        for (String kind : managed.kinds()) {
            for (String existing : managed.managedNames(kind, name)) {
                if (!wanted.contains(kind + "/" + existing)) {
                    delete(managed.apiVersion(kind), kind, name, existing);
                }
            }
        }
        if (admitPods) {
            labelAndAnnotate(namespace, TenantNamespaceDefaults.namespaceLabels(tenant));
        }
    }

    /**
     * Creates or rewrites one derived object, comparing with the informer's copy. A copy that lags
     * behind (a create answering 409 AlreadyExists) is replaced by a read; an update on a stale
     * resourceVersion fails with 409 Conflict and the work queue retries the tenant.
     */
    private void ensure(String namespace, TenantNamespaceDefaults.Desired object) {
        var resources = client.genericKubernetesResources(object.apiVersion(), object.kind()).inNamespace(namespace);
        GenericKubernetesResource body = Json.mapper().convertValue(object.body(), GenericKubernetesResource.class);
        Optional<JsonNode> cached = managed.get(object.kind(), namespace, object.name());
        JsonNode current;
        if (cached.isPresent()) {
            current = cached.get();
        } else {
            try {
                resources.resource(body).create();
                return;
            } catch (KubernetesClientException e) {
                GenericKubernetesResource existing = e.getCode() == 409 ? resources.withName(object.name()).get() : null;
                if (existing == null) {
                    throw e;
                }
                current = Json.mapper().valueToTree(existing);
            }
        }
        if (sameContent(current, object.body())) {
            return;
        }
        if (!current.path("roleRef").equals(object.body().path("roleRef")) && object.body().has("roleRef")) {
            // roleRef is immutable: the binding is replaced.
            delete(object.apiVersion(), object.kind(), namespace, object.name());
            resources.resource(body).create();
            return;
        }
        body.getMetadata().setResourceVersion(current.path("metadata").path("resourceVersion").asText());
        resources.resource(body).update();
    }

    private static boolean sameContent(JsonNode current, JsonNode desired) {
        for (String field : CONTENT) {
            if (!current.path(field).equals(desired.path(field))) {
                return false;
            }
        }
        JsonNode labels = current.path("metadata").path("labels");
        return desired.path("metadata").path("labels").equals(labels);
    }

    private void delete(String apiVersion, String kind, String namespace, String name) {
        try {
            client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private void labelAndAnnotate(Namespace namespace, Map<String, String> labels) {
        Map<String, String> current = namespace.getMetadata().getLabels() == null ? Map.of()
                : namespace.getMetadata().getLabels();
        Map<String, String> annotations = namespace.getMetadata().getAnnotations() == null ? Map.of()
                : namespace.getMetadata().getAnnotations();
        boolean labelled = labels.entrySet().stream().allMatch(e -> e.getValue().equals(current.get(e.getKey())));
        String tenant = labels.get(TenancyApi.TENANT_LABEL);
        if (labelled && tenant.equals(annotations.get(TenancyApi.DEFAULTS_ANNOTATION))) {
            return;
        }
        client.namespaces().withName(namespace.getMetadata().getName()).edit(ns -> {
            Map<String, String> newLabels = new HashMap<>(ns.getMetadata().getLabels() == null ? Map.of()
                    : ns.getMetadata().getLabels());
            newLabels.putAll(labels);
            ns.getMetadata().setLabels(newLabels);
            Map<String, String> newAnnotations = new HashMap<>(ns.getMetadata().getAnnotations() == null ? Map.of()
                    : ns.getMetadata().getAnnotations());
            newAnnotations.put(TenancyApi.DEFAULTS_ANNOTATION, tenant);
            ns.getMetadata().setAnnotations(newAnnotations);
            return ns;
        });
    }
}
