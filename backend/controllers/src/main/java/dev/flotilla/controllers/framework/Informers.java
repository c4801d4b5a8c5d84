package dev.flotilla.controllers.framework;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The informers of one controller-manager term, shared: each resource is listed and watched once,
 * however many controllers read it. Informers asked for before {@link #startAll} start with it;
 * ones asked for later (a custom resource found by rediscovery) start at once.
 */
public final class Informers implements AutoCloseable {

    private final KubernetesClient client;
    private final long resyncMillis;
    private final Map<Object, SharedIndexInformer<?>> informers = new ConcurrentHashMap<>();
    private volatile boolean started;

    public Informers(KubernetesClient client, Duration resync) {
        this.client = client;
        this.resyncMillis = resync.toMillis();
    }

    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> SharedIndexInformer<T> of(Class<T> type) {
        return (SharedIndexInformer<T>) informers.computeIfAbsent(type, t -> startIfRunning(
                client.resources(type).inAnyNamespace().runnableInformer(resyncMillis)));
    }

    /** A generic informer; {@code beforeStart} (indexers) runs on it once, before it may start. */
    @SuppressWarnings("unchecked")
    public SharedIndexInformer<GenericKubernetesResource> of(ResourceDefinitionContext resource,
            Consumer<SharedIndexInformer<GenericKubernetesResource>> beforeStart) {
        String key = resource.getGroup() + "/" + resource.getVersion() + "/" + resource.getPlural();
        return (SharedIndexInformer<GenericKubernetesResource>) informers.computeIfAbsent(key, k -> {
            SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(resource)
                    .inAnyNamespace().runnableInformer(resyncMillis);
            beforeStart.accept(informer);
            return startIfRunning(informer);
        });
    }

    private <T> SharedIndexInformer<T> startIfRunning(SharedIndexInformer<T> informer) {
        if (started) {
            informer.start();
        }
        return informer;
    }

    /** Starts every informer; the future completes once each has listed once (client-go's WaitForCacheSync). */
    public CompletableFuture<Void> startAll() {
        started = true;
        List<CompletableFuture<Void>> synced = new ArrayList<>();
        for (SharedIndexInformer<?> informer : informers.values()) {
            synced.add(informer.start().toCompletableFuture());
        }
        return CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::stop);
        informers.clear();
    }
}
