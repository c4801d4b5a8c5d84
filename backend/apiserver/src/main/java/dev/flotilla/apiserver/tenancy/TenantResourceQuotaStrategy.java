package dev.flotilla.apiserver.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.api.tenancy.TenancyApi;
import dev.flotilla.apiserver.crd.SchemaValidator;
import dev.flotilla.apiserver.model.BuiltInSchemas;
import dev.flotilla.apiserver.strategy.KindStrategy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** TenantResourceQuotas: their schema's structural rules and upstream's quota rules for {@code spec.hard}. */
@Singleton
public class TenantResourceQuotaStrategy implements KindStrategy {

    private final JsonNode schema;

    public TenantResourceQuotaStrategy(ResourceRegistry registry) {
        this.schema = BuiltInSchemas.of(registry.find(TenancyApi.GROUP, TenancyApi.VERSION, TenancyApi.QUOTAS)
                .orElseThrow()).orElseThrow();
    }

    @Override
    public Set<String> kinds() {
        return Set.of(TenancyApi.GROUP + "/" + TenancyApi.QUOTA_KIND);
    }

    @Override
    public List<FieldError> validate(ObjectNode quota) {
        List<FieldError> errors = new ArrayList<>(SchemaValidator.validate(quota, schema));
        errors.addAll(QuotaHardValidation.validate(quota.path("spec").path("hard"), "spec.hard"));
        return errors;
    }
}
