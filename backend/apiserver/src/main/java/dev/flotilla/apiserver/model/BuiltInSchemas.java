package dev.flotilla.apiserver.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.tenancy.TenancyApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAPI v3 schemas of the built-in kinds Flotilla defines itself and fabric8 has no model class
 * for (the Tenant, the TenantResourceQuota): what OpenAPI publishes for them, which fields they know (pruning) and their
 * defaults, as a CRD's schema does for a custom resource.
 */
public final class BuiltInSchemas {

    private static final Map<String, JsonNode> BY_KIND = Map.of(
            TenancyApi.API_VERSION + "/" + TenancyApi.KIND, load("/tenancy/tenant-schema.yaml"),
            TenancyApi.API_VERSION + "/" + TenancyApi.QUOTA_KIND, load("/tenancy/tenantresourcequota-schema.yaml"));

    private BuiltInSchemas() {
    }

    public static Optional<JsonNode> of(ResourceType type) {
        if (type.isCustom()) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_KIND.get(type.apiVersion() + "/" + type.kind()));
    }

    private static JsonNode load(String resource) {
        try (InputStream in = BuiltInSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
