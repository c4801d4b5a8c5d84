package dev.flotilla.apiserver.resource;

import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.api.tenancy.TenancyApi;
import dev.flotilla.platform.db.PlatformDataSource;
import dev.flotilla.platform.db.PostgresProperties;
import dev.flotilla.platform.objects.PostgresObjectStore;
import dev.flotilla.storage.ObjectStore;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * The resource types {@link ResourceStore} keeps in PostgreSQL instead of etcd (the
 * {@code tenancy.flotilla.dev} Tenants), and the store that holds them. They take the same request
 * path as every other kind; only the store differs, and they are read without a watch cache (few
 * objects, and an outage must answer 503 rather than serve from memory).
 */
@Singleton
public class PostgresResources implements AutoCloseable {

    private final PostgresObjectStore store;

    public PostgresResources(PlatformDataSource database, PostgresProperties properties) {
        this.store = new PostgresObjectStore(database, properties.describe());
    }

    public boolean keeps(ResourceType type) {
        return type.group().equals(TenancyApi.GROUP);
    }

    ObjectStore store() {
        return store;
    }

    @PreDestroy
    @Override
    public void close() {
        store.close();
    }
}
