package dev.flotilla.apiserver.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.api.tenancy.TenancyApi;
import dev.flotilla.apiserver.crd.SchemaDefaults;
import dev.flotilla.apiserver.crd.SchemaValidator;
import dev.flotilla.apiserver.model.BuiltInSchemas;
import dev.flotilla.apiserver.strategy.KindStrategy;
import dev.flotilla.api.resource.ResourceRegistry;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;

/**
 * Tenants: the defaults and structural rules of their schema ({@code tenancy/tenant-schema.yaml}),
 * as a CRD's schema gives a custom resource, with every problem reported at its field path.
 */
@Singleton
public class TenantStrategy implements KindStrategy {

    private final JsonNode schema;

    public TenantStrategy(ResourceRegistry registry) {
        this.schema = BuiltInSchemas.of(registry.find(TenancyApi.GROUP, TenancyApi.VERSION, TenancyApi.TENANTS)
                .orElseThrow()).orElseThrow();
    }

    @Override
    public Set<String> kinds() {
        return Set.of(TenancyApi.GROUP + "/" + TenancyApi.KIND);
    }

    @Override
    public void prepareForCreate(ObjectNode tenant) {
        defaults(tenant);
    }

    @Override
    public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
        defaults(updated);
    }

    @Override
    public List<FieldError> validate(ObjectNode tenant) {
        if (!tenant.has("spec")) {
            return List.of(FieldError.required("spec", ""));
        }
        List<FieldError> errors = new java.util.ArrayList<>(SchemaValidator.validate(tenant, schema));
        JsonNode quota = tenant.path("spec").path("resourceQuota");
        errors.addAll(QuotaHardValidation.validate(quota.path("hard"), "spec.resourceQuota.hard"));
        errors.addAll(QuotaHardValidation.validate(quota.path("perNamespace").path("hard"),
                "spec.resourceQuota.perNamespace.hard"));
        return errors;
    }

    private void defaults(ObjectNode tenant) {
        JsonNode spec = tenant.path("spec");
        if (spec.isObject()) {
            ObjectNode specObject = (ObjectNode) spec;
            // Nested objects whose fields have defaults exist on every Tenant, so the defaults show.
            for (String field : List.of("networkPolicy", "podSecurity", "allow")) {
                if (!specObject.has(field)) {
                    specObject.putObject(field);
                }
            }
        }
        SchemaDefaults.apply(tenant, schema);
    }
}
