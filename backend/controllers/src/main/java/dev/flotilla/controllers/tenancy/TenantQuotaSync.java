package dev.flotilla.controllers.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.tenancy.TenantResourceQuotas;
import dev.flotilla.controllers.quota.TenantResourceQuotaController;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Optional;

/**
 * Keeps a Tenant's aggregate quota, the TenantResourceQuota named after it, in line with the
 * Tenant's {@code spec.resourceQuota.hard}: created, its hard rewritten when it drifted, deleted when
 * the Tenant sets no quota (or is gone). Its status is the quota controller's.
 */
final class TenantQuotaSync {

    private static final ResourceDefinitionContext QUOTAS = TenantResourceQuotaController.QUOTAS;

    private final KubernetesClient client;
    private final SharedIndexInformer<GenericKubernetesResource> quotas;

    TenantQuotaSync(KubernetesClient client, SharedIndexInformer<GenericKubernetesResource> quotas) {
        this.client = client;
        this.quotas = quotas;
    }

    /**
     * Brings the tenant's quota to what the Tenant asks; returns it as the cache shows it (what is
     * enforced now), or empty when there is none yet or it is no longer wanted.
     */
    Optional<JsonNode> sync(ObjectNode tenant) {
        String name = tenant.path("metadata").path("name").asText();
        Optional<ObjectNode> desired = TenantResourceQuotas.of(tenant);
        GenericKubernetesResource existing = quotas.getStore().getByKey(name);
        if (desired.isEmpty()) {
            if (existing != null) {
                delete(name);
            }
            return Optional.empty();
        }
        if (existing == null) {
            try {
                client.genericKubernetesResources(QUOTAS)
                        .resource(Json.mapper().convertValue(desired.get(), GenericKubernetesResource.class)).create();
            } catch (KubernetesClientException e) {
                // Created meanwhile (the cache lags): its informer event reconciles the tenant again.
                if (e.getCode() != 409) {
                    throw e;
                }
            }
            return Optional.empty();
        }
        ObjectNode current = Json.mapper().valueToTree(existing);
        JsonNode labels = current.path("metadata").path("labels");
        if (current.path("spec").equals(desired.get().path("spec"))
                && desired.get().path("metadata").path("labels").equals(labels)) {
            return Optional.of(current);
        }
        ObjectNode rewritten = current.deepCopy();
        rewritten.set("spec", desired.get().path("spec"));
        rewritten.with("metadata").set("labels", desired.get().path("metadata").path("labels"));
        // A 409 (the quota controller or admission wrote meanwhile) propagates: the tenant is retried.
        client.genericKubernetesResources(QUOTAS)
                .resource(Json.mapper().convertValue(rewritten, GenericKubernetesResource.class)).update();
        return Optional.of(current);
    }

    void delete(String tenant) {
        try {
            client.genericKubernetesResources(QUOTAS).withName(tenant).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
